#!/usr/bin/env node
/**
 * `npx node sensor-native/tools/oracle-refresh.ts [--force]`: brings the stored tshark answers up
 * to date for every capture of the dev set. A capture's file is redone when it is missing or was
 * made by another tshark version or extraction version; `--force` redoes all. Files of captures no
 * longer in the dev set are reported, not deleted (another branch may still use them).
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { devSet } from './dev-set.ts'
import { isCurrent, readOracle, writeOracle } from './oracle-store.ts'
import { dataRoot, missingData, oracleDir } from './paths.ts'
import { sha256File } from './sha256-file.ts'
import { EXTRACTION_VERSION, tsharkFacts } from './tshark-facts.ts'
import { tsharkVersion } from './tshark-run.ts'

function main(argv: string[]): number {
  const force = argv.includes('--force')
  const tshark = tsharkVersion()
  if (tshark instanceof Error) {
    process.stderr.write(`oracle-refresh: ${tshark.message}\n`)
    return 2
  }
  const missing = missingData()
  if (missing) {
    process.stderr.write(`oracle-refresh: ${missing}\n`)
    return 2
  }
  const captures = devSet(dataRoot)
  const wanted = new Set<string>()
  let redone = 0
  let failed = 0
  captures.forEach((capture, i) => {
    const sha256 = sha256File(join(dataRoot, capture))
    wanted.add(sha256)
    const stored = readOracle(oracleDir, sha256)
    const label = `[${i + 1}/${captures.length}] ${capture}`
    if (!force && !(stored instanceof Error) && isCurrent(stored, tshark, EXTRACTION_VERSION)) {
      process.stderr.write(`${label}: current\n`)
      return
    }
    const started = performance.now()
    const result = tsharkFacts(join(dataRoot, capture))
    if (result instanceof Error) {
      failed += 1
      process.stderr.write(`${label}: FAILED ${result.message}\n`)
      return
    }
    const { facts, problems } = result
    writeOracle(oracleDir, {
      sha256,
      capture,
      tshark,
      extraction: EXTRACTION_VERSION,
      problems,
      ...facts,
    })
    redone += 1
    const ms = (performance.now() - started).toFixed(0)
    process.stderr.write(
      `${label}: ${facts.dns.length} dns, ${facts.tls.length} sni, ${facts.http.length} http, ${facts.flows.tcp}+${facts.flows.udp} flows (${ms} ms)\n`,
    )
    for (const problem of problems) process.stderr.write(`  problem: ${problem}\n`)
  })
  const stale = readdirSync(oracleDir).filter(
    (f) => /^[0-9a-f]{64}\.json$/.test(f) && !wanted.has(f.slice(0, 64)),
  )
  for (const file of stale) process.stderr.write(`not in the dev set any more: ${file}\n`)
  process.stderr.write(
    `oracle-refresh: ${captures.length} captures, ${redone} refreshed, ${failed} failed (tshark ${tshark})\n`,
  )
  return failed > 0 ? 1 : 0
}

process.exitCode = main(process.argv.slice(2))
