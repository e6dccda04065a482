#!/usr/bin/env node
/**
 * `npx node sensor-native/tools/oracle-check.ts [CAPTURE…]`: prints socbox's differences from the
 * stored tshark answers, per capture of the dev set (or the captures given, as dev-set paths),
 * each marked NEW, accepted (accepted.tsv) or open-bug (open-bugs.tsv), then per compared field
 * how many facts each side has over the set and how many distinct values differ.
 * The test (oracle.test.ts) is the gate; this is for looking at a difference and for figures.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type AcceptedRow, parseAccepted, unexplained } from './accepted.ts'
import { devSet } from './dev-set.ts'
import { comparisonScope, emittedKinds, eventsOfAll, factCount, sidesOf } from './oracle.ts'
import { describeDifference, diffFacts, type Field } from './oracle-diff.ts'
import { dataRoot, oracleDir } from './paths.ts'
import { sha256File } from './sha256-file.ts'

const asked = process.argv.slice(2)
const captures = asked.length > 0 ? asked : devSet(dataRoot)
const runs = await eventsOfAll(dataRoot, captures)
const { active, inactive } = comparisonScope(emittedKinds(runs.values()))
const read = (name: string) => parseAccepted(readFileSync(join(oracleDir, name), 'utf8')).rows
const accepted = read('accepted.tsv')
const openBugs = read('open-bugs.tsv')
const used = new Set<AcceptedRow>()
const totals = new Map<Field, { tshark: number; socbox: number; differing: number }>(
  active.map((f) => [f, { tshark: 0, socbox: 0, differing: 0 }]),
)
const counted = new Set<string>() // captures with the same bytes count once in the totals
let open = 0
for (const capture of captures) {
  const events = runs.get(capture)
  const path = join(dataRoot, capture)
  const sides =
    events === undefined || events instanceof Error
      ? (events ?? new Error('not run'))
      : sidesOf(path, events, oracleDir)
  if (sides instanceof Error) {
    open += 1
    process.stdout.write(`${capture}: ERROR ${sides.message}\n`)
    continue
  }
  const differences = diffFacts(sides.tshark, sides.socbox, active)
  const sha256 = sha256File(path)
  if (!counted.has(sha256)) {
    counted.add(sha256)
    for (const [field, t] of totals) {
      t.tshark += factCount(sides.tshark, field)
      t.socbox += factCount(sides.socbox, field)
      t.differing += differences.filter((d) => d.field === field).length
    }
  }
  const notAccepted = unexplained(capture, differences, accepted, used)
  const left = new Set(unexplained(capture, notAccepted, openBugs, used))
  open += left.size
  for (const d of differences) {
    const status = left.has(d) ? 'NEW' : notAccepted.includes(d) ? 'open-bug' : 'accepted'
    process.stdout.write(`${capture}\t${status}\t${describeDifference(d)}\n`)
  }
}
if (asked.length === 0) {
  for (const row of [...accepted, ...openBugs].filter((r) => !used.has(r))) {
    open += 1
    process.stdout.write(
      `STALE row (line ${row.line}): ${row.capture}\t${row.field}\t${row.value}\n`,
    )
  }
}
process.stdout.write(`\n${counted.size} distinct captures (${captures.length} paths)\n`)
for (const [field, t] of totals) {
  process.stdout.write(
    `${field}: tshark ${t.tshark}, socbox ${t.socbox}, ${t.differing} values differ\n`,
  )
}
process.stdout.write(
  `compared: ${active.join(', ')}; not yet: ${inactive.join(', ') || 'none'}; ${open} new differences or stale rows\n`,
)
process.exitCode = open > 0 ? 1 : 0
