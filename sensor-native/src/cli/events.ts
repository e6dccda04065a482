/**
 * `socbox events FILE`: decode a capture and print one compact JSON event per line on stdout.
 * The NDJSON is written by Rust straight to the file descriptor; this loop only shows progress.
 * stdout carries events only: progress, counts and errors go to stderr.
 */
import { progress } from '../agent/progress.ts'
import { type CaptureArgs, openCapture, parseCaptureArgs } from '../options.ts'

const HELP = `usage: socbox events FILE [--home-net CIDR,...] [--plan PACK_OR_PLAN.json|none]

Prints every event of a pcap/pcapng capture as one JSON object per line.
  --home-net   networks counted as internal (default: RFC 1918, 100.64/10, fc00::/7, link-local)
  --plan       match plan for intel hits (default: the built default rule pack; 'none' to skip)
Exit status: 0 when the file was readable (malformed packets are counted on stderr), 2 otherwise.
`

const EVENTS_PER_CALL = 4096

export async function main(argv: string[]): Promise<number> {
  let args: CaptureArgs | undefined
  try {
    args = parseCaptureArgs(argv)
  } catch (err) {
    process.stderr.write(`socbox events: ${(err as Error).message}\n\n${HELP}`)
    return 2
  }
  if (!args) {
    process.stdout.write(HELP)
    return 0
  }
  const { file, options } = args

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
