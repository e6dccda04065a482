// A larger, more varied workload for the benchmark: the first BENCH_MIXED_EVENTS events (100k by
// default) the sensor writes for the generated mixed capture (`npm run gen:mixed`:
// target/bench/mixed-1GB.pcap, every labelled shared capture tiled with fresh addresses and
// times), in ts order. Made once by running the sensor's CLI (`socbox events FILE`) as a child
// process (dsl imports nothing of ours), stopped once it has written enough, and cached as
// NDJSON under target/bench (git-ignored); delete the file to rebuild it after a sensor change.
// One sensor thread: with several, which events come first (and so the first N) depends on the
// machine's core count.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { SocEvent } from '../src/runtime/types.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
export const MIXED_CAPTURE = join(ROOT, 'target/bench/mixed-1GB.pcap')
export const MIXED_CACHE = join(ROOT, 'target/bench/dsl-mixed-events.ndjson')

async function build(count: number): Promise<string | undefined> {
  if (!existsSync(MIXED_CAPTURE)) return undefined
  const cli = process.env.BENCH_SOCBOX ?? join(ROOT, 'bin/socbox.ts')
  process.stderr.write(`mixed traffic: the first ${count} events of ${MIXED_CAPTURE}, once…\n`)
  const child = spawn(process.execPath, [cli, 'events', MIXED_CAPTURE, '--threads', '1'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const lines: string[] = []
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  for await (const line of createInterface({ input: child.stdout })) {
    if (line.length === 0) continue
    lines.push(line)
    if (lines.length >= count) break
  }
  child.kill()
  await exited
  if (lines.length === 0) return undefined
  // In event-time order (stable: the sensor's own order is kept among equal times).
  const events = lines.map((line) => JSON.parse(line) as SocEvent)
  const order = events.map((_event, i) => i)
  order.sort((a, b) => (events[a]?.ts ?? 0) - (events[b]?.ts ?? 0) || a - b)
  const text = `${order.map((i) => lines[i]).join('\n')}\n`
  mkdirSync(dirname(MIXED_CACHE), { recursive: true })
  writeFileSync(MIXED_CACHE, text)
  process.stderr.write(`mixed traffic: ${events.length} events cached in ${MIXED_CACHE}\n`)
  return text
}

/** The first `count` events of the generated mixed capture, or undefined without it. */
export async function mixedTrafficEvents(count: number): Promise<SocEvent[] | undefined> {
  const text = existsSync(MIXED_CACHE) ? readFileSync(MIXED_CACHE, 'utf8') : await build(count)
  if (text === undefined) return undefined
  const events: SocEvent[] = []
  for (const line of text.split('\n')) {
    if (line.length === 0) continue
    events.push(JSON.parse(line))
    if (events.length >= count) break
  }
  return events
}
