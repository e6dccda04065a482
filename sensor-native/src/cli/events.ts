/**
 * `socbox events FILE`: decode a capture and print one compact JSON event per line on stdout.
 * The NDJSON is written by Rust straight to the file descriptor; this loop only shows progress.
 * stdout carries events only: progress, counts and errors go to stderr.
 */
import { parseArgs } from 'node:util'
import { progress } from '../agent/progress.ts'
import { openCapture, sourceOptions, UsageError } from '../options.ts'

const HELP = `usage: socbox events FILE [--home-net CIDR,...] [--plan PACK_OR_PLAN.json|none]

Prints every event of a pcap/pcapng capture as one JSON object per line.
  --home-net   networks counted as internal (default: RFC 1918, 100.64/10, fc00::/7, link-local)
  --plan       match plan for intel hits (default: the built default rule pack; 'none' to skip)
Exit status: 0 when the file was readable (malformed packets are counted on stderr), 2 otherwise.
`

const EVENTS_PER_CALL = 4096

export async function main(argv: string[]): Promise<number> {
  let file: string
  let options: ReturnType<typeof sourceOptions>
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'home-net': { type: 'string' },
        plan: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
    if (values.help) {
      process.stdout.write(HELP)
      return 0
    }
    if (positionals.length !== 1) throw new UsageError('give exactly one capture file')
    file = positionals[0] as string
    options = sourceOptions(values['home-net'], values.plan)
  } catch (err) {
    process.stderr.write(`socbox events: ${(err as Error).message}\n\n${HELP}`)
    return 2
  }

  const source = openCapture('events', file, options.options)
  if (!source) return 2
  const bar = progress(`events ${file}`)
  const started = performance.now()
  while (source.pumpNdjson(1, EVENTS_PER_CALL) > 0) bar.update(source.stats())
  bar.done()
  const s = source.stats()
  const seconds = (performance.now() - started) / 1000
  process.stderr.write(
    `socbox events: ${file} (${s.linktype}): ${s.packets} packets, ${s.bytes} bytes, ${s.events} events, ${s.malformed} malformed packets in ${seconds.toFixed(2)} s\n`,
  )
  return 0
}
