// Real traffic for the benchmark: the events the sensor itself makes of every shared capture
// (../shared/data, all folders), merged in event-time order. Made once by running the sensor's
// CLI (`socbox events FILE`) as a child process (dsl imports nothing of ours) and cached as NDJSON
// under target/bench (git-ignored); delete the file to rebuild it after a sensor change
// (BENCH_SOCBOX: another checkout's bin/socbox.ts, BENCH_CAPTURES: another capture folder).
// One sensor thread: with several, the order of same-time events depends on the core count.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { SocEvent } from '../src/runtime/types.ts'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DATA = process.env.BENCH_CAPTURES ?? join(ROOT, '../shared/data')
export const REAL_CACHE = join(ROOT, 'target/bench/dsl-real-events.ndjson')
const CAPTURE = /\.(pcap|pcapng|cap)$/i

function captures(dir: string): string[] {
  const found: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name)
    const stat = statSync(path)
    if (stat.isDirectory()) found.push(...captures(path))
    else if (CAPTURE.test(name) && stat.size > 0) found.push(path)
  }
  return found
}

function build(): string | undefined {
  if (!existsSync(DATA)) return undefined
  const cli = process.env.BENCH_SOCBOX ?? join(ROOT, 'bin/socbox.ts')
  const lines: string[] = []
  let failed = 0
  const files = captures(DATA)
  process.stderr.write(`real traffic: decoding ${files.length} captures under ${DATA} once…\n`)
  for (const file of files) {
    const run = spawnSync(process.execPath, [cli, 'events', file, '--threads', '1'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
    if (run.status !== 0) {
      failed++
      continue
    }
    for (const line of run.stdout.split('\n')) if (line.length > 0) lines.push(line)
  }
  if (lines.length === 0) return undefined
  // One stream in event-time order (stable: a capture's own order is kept among equal times).
  const events = lines.map((line) => JSON.parse(line) as SocEvent)
  const order = events.map((_event, i) => i)
  order.sort((a, b) => (events[a]?.ts ?? 0) - (events[b]?.ts ?? 0) || a - b)
  const text = `${order.map((i) => lines[i]).join('\n')}\n`
  mkdirSync(dirname(REAL_CACHE), { recursive: true })
  writeFileSync(REAL_CACHE, text)
  process.stderr.write(
    `real traffic: ${events.length} events from ${files.length - failed} captures (${failed} unreadable) cached in ${REAL_CACHE}\n`,
  )
  return text
}

/** The sensor's events of the shared captures in ts order, or undefined without captures. */
export function realTrafficEvents(): SocEvent[] | undefined {
  const text = existsSync(REAL_CACHE) ? readFileSync(REAL_CACHE, 'utf8') : build()
  if (text === undefined) return undefined
  const events: SocEvent[] = []
  for (const line of text.split('\n')) if (line.length > 0) events.push(JSON.parse(line))
  return events
}
