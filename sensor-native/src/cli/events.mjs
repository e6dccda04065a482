/**
 * `socbox events FILE`: decode a capture and print one compact JSON event per line on stdout.
 * The NDJSON is written by Rust straight to the file descriptor; this loop only shows progress.
 * stdout carries events only: progress, counts and errors go to stderr.
 *
 * Plain JavaScript with the modules it loads (capture-args, load-addon, progress), so the whole
 * `socbox events` process, what users and checks time, starts without TypeScript type stripping.
 * The types are in events.d.mts.
 */
import { availableParallelism } from 'node:os'
import { progress } from '../agent/progress.mjs'
import { parseCaptureArgs, UsageError } from '../capture-args.mjs'
import { loadAddon, openCapture } from '../load-addon.mjs'

const HELP = `usage: socbox events FILE [--home-net CIDR,...] [--plan PACK_OR_PLAN.json|none] [--threads N]

Prints every event of a pcap/pcapng capture as one JSON object per line.
  --home-net   networks counted as internal (default: RFC 1918, 100.64/10, fc00::/7, link-local)
  --plan       match plan for intel hits (default: the built default rule pack; 'none' to skip)
  --threads    pipelines decoding at once, packets shared out by address pair (default: the
               number of cores). The lines come in an order fixed by the file and N; with 1,
               in the order of the capture.
Exit status: 0 when the file was readable (malformed packets are counted on stderr), 2 otherwise.
`

const EVENTS_PER_CALL = 4096
const MAX_THREADS = 256

/** @type {import('./events.d.mts').parseThreads} */
export function parseThreads(value) {
  if (value === undefined) return availableParallelism()
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_THREADS) {
    throw new UsageError(`--threads ${value}: give a whole number from 1 to ${MAX_THREADS}`)
  }
  return n
}

/** @type {import('./events.d.mts').main} */
export async function main(argv) {
  let args
  let threads
  try {
    args = parseCaptureArgs(argv, ['threads'])
    threads = parseThreads(args?.values.threads)
  } catch (err) {
    process.stderr.write(`socbox events: ${err.message}\n\n${HELP}`)
    return 2
  }
  if (!args) {
    process.stdout.write(HELP)
    return 0
  }
  const { file, options } = args
  const started = performance.now()
  const s = threads === 1 ? single(file, options.options) : sharded(file, options.options, threads)
  if (!s) return 2
  const seconds = (performance.now() - started) / 1000
  process.stderr.write(
    `socbox events: ${file} (${s.linktype}): ${s.packets} packets, ${s.bytes} bytes, ${s.events} events, ${s.malformed} malformed packets in ${seconds.toFixed(2)} s\n`,
  )
  return 0
}

/** One pipeline: the events in capture order. */
function single(file, options) {
  const source = openCapture('events', file, options)
  if (!source) return undefined
  const bar = progress(`events ${file}`)
  while (source.pumpNdjson(1, EVENTS_PER_CALL) > 0) bar.update(source.stats())
  bar.done()
  return source.stats()
}

/** `threads` pipelines on the addon's threads; this one waits and shows progress. */
function sharded(file, options, threads) {
  let run
  try {
    run = new (loadAddon().ShardedEvents)(file, 1, threads, options)
  } catch (err) {
    process.stderr.write(`socbox events: ${err.message}\n`)
    return undefined
  }
  const bar = progress(`events ${file}`)
  while (!run.wait(100)) bar.update(run.stats())
  bar.done()
  return run.stats()
}
