/**
 * The oracle comparison: runs the project's CLI (`socbox events FILE --plan none`, the command
 * users run) on a capture, reduces its events to the compared facts and diffs them against the
 * tshark answers stored for the capture's sha256. Failures are values, so a report can list them
 * all instead of stopping at the first.
 */
import { execFile } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { type Comparable, comparableOracle } from './comparable.ts'
import { comparableEvents, type SocboxEvent } from './event-facts.ts'
import { type Difference, diffFacts, FIELDS_OF_KIND, type Field } from './oracle-diff.ts'
import { readOracle } from './oracle-store.ts'
import { repoRoot } from './paths.ts'
import { sha256File } from './sha256-file.ts'

export type Events = SocboxEvent[] | Error

/** Runs `socbox events`; the interpreter is this process's own (the project's Node 22). */
export function socboxEvents(capture: string): Promise<Events> {
  const args = [join(repoRoot, 'bin/socbox.ts'), 'events', capture, '--plan', 'none']
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: repoRoot, maxBuffer: 1 << 30 },
      (err, stdout, stderr) => {
        if (err) {
          resolve(
            new Error(
              `socbox events ${capture} failed (${err.code ?? err.signal}): ${stderr.trim() || err.message}`,
            ),
          )
          return
        }
        resolve(parseNdjson(stdout))
      },
    )
  })
}

export function parseNdjson(text: string): Events {
  const events: SocboxEvent[] = []
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string
    if (line === '') continue
    try {
      const event = JSON.parse(line) as SocboxEvent
      if (typeof event?.kind !== 'string')
        return new Error(`line ${i + 1} is not an event: ${line.slice(0, 200)}`)
      events.push(event)
    } catch {
      return new Error(`line ${i + 1} is not JSON: ${line.slice(0, 200)}`)
    }
  }
  return events
}

/** `socbox events` over many captures, a few at a time; results keyed by the capture path. */
export async function eventsOfAll(
  root: string,
  captures: string[],
  parallel = availableParallelism(),
): Promise<Map<string, Events>> {
  const results = new Map<string, Events>()
  let next = 0
  const worker = async () => {
    while (next < captures.length) {
      const capture = captures[next++] as string
      results.set(capture, await socboxEvents(join(root, capture)))
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker))
  return results
}

export function emittedKinds(runs: Iterable<Events>): Set<string> {
  const kinds = new Set<string>()
  for (const run of runs) if (!(run instanceof Error)) for (const e of run) kinds.add(e.kind)
  return kinds
}

/**
 * DNS is compared always; the other kinds once socbox emits them anywhere in the dev set (a kind
 * that is emitted for some captures must then be right for all of them).
 */
export function comparisonScope(emitted: Set<string>): { active: Field[]; inactive: string[] } {
  const kinds = Object.keys(FIELDS_OF_KIND)
  const isActive = (kind: string) => kind === 'dns' || emitted.has(kind)
  return {
    active: kinds.filter(isActive).flatMap((kind) => FIELDS_OF_KIND[kind] ?? []),
    inactive: kinds.filter((kind) => !isActive(kind)),
  }
}

/** Both sides of one capture in comparable form. */
export function sidesOf(
  path: string,
  events: SocboxEvent[],
  oracleDir: string,
): { tshark: Comparable; socbox: Comparable } | Error {
  const sha256 = sha256File(path)
  const stored = readOracle(oracleDir, sha256)
  if (stored instanceof Error) return stored
  if (stored === undefined) {
    return new Error(
      `no oracle answers for ${path} (${sha256}); run: npx node sensor-native/tools/oracle-refresh.ts`,
    )
  }
  return { tshark: comparableOracle(stored), socbox: comparableEvents(events) }
}

/** The differences for one capture, given socbox's events for it. */
export function compareCapture(
  path: string,
  events: SocboxEvent[],
  fields: readonly Field[],
  oracleDir: string,
): Difference[] | Error {
  const sides = sidesOf(path, events, oracleDir)
  if (sides instanceof Error) return sides
  return diffFacts(sides.tshark, sides.socbox, fields)
}

/** How many facts a side holds for a field: occurrences for lists, the count for flows. */
export function factCount(c: Comparable, field: Field): number {
  if (field === 'flows.tcp' || field === 'flows.udp') return c.counts[field]
  let n = 0
  for (const count of c.lists[field].values()) n += count
  return n
}
