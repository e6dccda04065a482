#!/usr/bin/env node
/**
 * `npx node sensor-native/tools/gen-mixed.ts --out FILE --size 1GB --seed N`: a seeded, realistic
 * mixed capture (classic pcap, Ethernet, microsecond timestamps) tiled from every labelled shared
 * capture (EXPECTED.tsv, all classes) with fresh addresses and times per tile (mixed-writer.ts).
 * `--flows N` instead writes N short TCP and UDP exchanges with distinct 5-tuples, for the
 * flow-table benchmark (flow-synth.ts). Progress goes to stderr; memory stays bounded.
 */
import { mkdirSync, openSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import { parseByteSize } from './byte-size.ts'
import { captureClasses, labelledCaptures } from './dev-set.ts'
import { writeFlows } from './flow-synth.ts'
import { writeMixed } from './mixed-writer.ts'
import { dataRoot, missingData } from './paths.ts'
import { pcapWriter } from './pcap-write.ts'
import { throughputProgress } from './throughput-progress.ts'
import { loadTileSource, type TileSource } from './tile-source.ts'

const HELP = `usage: gen-mixed --out FILE (--size SIZE | --flows N) [--seed N]

  --out    the pcap file to write
  --size   about how big, e.g. 1GB, 200MB (tiles the shared captures)
  --flows  write N distinct short TCP/UDP flows instead (flow-table benchmark)
  --seed   the same seed writes the same bytes (default 1)
`

type Options = { out: string; seed: number } & ({ sizeBytes: number } | { flows: number })

function options(argv: string[]): Options | Error {
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        size: { type: 'string' },
        flows: { type: 'string' },
        seed: { type: 'string', default: '1' },
      },
    })
    if (!values.out) return new Error('give --out FILE')
    const seed = Number(values.seed)
    if (!Number.isSafeInteger(seed) || seed < 0)
      return new Error(`--seed must be a whole number, not "${values.seed}"`)
    if ((values.size === undefined) === (values.flows === undefined))
      return new Error('give either --size or --flows')
    if (values.flows !== undefined) {
      const flows = Number(values.flows)
      if (!Number.isSafeInteger(flows) || flows < 1)
        return new Error(`--flows must be a positive whole number`)
      return { out: values.out, seed, flows }
    }
    const sizeBytes = parseByteSize(values.size ?? '')
    if (sizeBytes instanceof Error) return sizeBytes
    return { out: values.out, seed, sizeBytes }
  } catch (err) {
    return err as Error
  }
}

function sources(): TileSource[] | Error {
  const missing = missingData()
  if (missing) return new Error(missing)
  const names = labelledCaptures(readFileSync(join(dataRoot, 'EXPECTED.tsv'), 'utf8'))
  const loaded: TileSource[] = []
  for (const name of names) {
    const source = loadTileSource(name, join(dataRoot, name))
    if (source instanceof Error) return source
    loaded.push(source)
  }
  return loaded
}

function main(argv: string[]): number {
  const o = options(argv)
  if (o instanceof Error) {
    process.stderr.write(`gen-mixed: ${o.message}\n\n${HELP}`)
    return 2
  }
  if ('flows' in o) {
    const writer = openOutput(o.out)
    const bar = throughputProgress(`gen-mixed ${o.out}`, undefined)
    const result = writeFlows(writer, {
      flows: o.flows,
      seed: o.seed,
      onProgress: (b, share) => bar.update(b, share),
    })
    writer.close()
    const summary = bar.done(result.bytes)
    process.stderr.write(`${summary}; ${result.flows} flows, ${result.packets} packets\n`)
    return 0
  }
  // the sources first: a missing or broken capture must not leave a stub file behind
  const loaded = sources()
  if (loaded instanceof Error) {
    process.stderr.write(`gen-mixed: ${loaded.message}\n`)
    return 1
  }
  const writer = openOutput(o.out)
  const bar = throughputProgress(`gen-mixed ${o.out}`, o.sizeBytes)
  const result = writeMixed(writer, {
    sources: loaded,
    seed: o.seed,
    sizeBytes: o.sizeBytes,
    onProgress: (b) => bar.update(b),
  })
  writer.close()
  const summary = bar.done(result.bytes)
  process.stderr.write(
    `${summary}; ${result.packets} packets from ${result.tiles} tiles of ${result.tilesBySource.size} captures\n`,
  )
  process.stderr.write(
    `gen-mixed: bytes by class (about): ${classShares(loaded, result.tilesBySource)}\n`,
  )
  return 0
}

/** Which share of the file each class of capture makes, counting whole tiles. */
function classShares(loaded: TileSource[], tiles: Map<string, number>): string {
  const classes = captureClasses(readFileSync(join(dataRoot, 'EXPECTED.tsv'), 'utf8'))
  const bytes = new Map<string, number>()
  let total = 0
  for (const source of loaded) {
    const b = (tiles.get(source.name) ?? 0) * source.bytes
    const c = classes.get(source.name) ?? '?'
    bytes.set(c, (bytes.get(c) ?? 0) + b)
    total += b
  }
  return [...bytes]
    .sort((a, b) => b[1] - a[1])
    .map(([c, b]) => `${c} ${((100 * b) / total).toFixed(0)}%`)
    .join(', ')
}

function openOutput(path: string) {
  mkdirSync(dirname(path), { recursive: true })
  return pcapWriter(openSync(path, 'w'))
}

process.exitCode = main(process.argv.slice(2))
