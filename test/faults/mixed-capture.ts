/** A small seeded mixed capture for the fault tests, and what the sensor makes of it. */
import { join } from 'node:path'
import { ROOT, run } from '../../scripts/proc.ts'

/** Writes a seeded mix of the shared labelled captures (3 MB: ~3,600 events, Tor2web lookups). */
export async function writeMixedCapture(path: string, seed = 7): Promise<void> {
  const gen = join(ROOT, 'sensor-native/tools/gen-mixed.ts')
  await run(process.execPath, [gen, '--out', path, '--size', '3MB', '--seed', String(seed)], {
    quiet: true,
  })
}

/** What the sensor makes of a capture, read straight from it without any delivery. */
export async function eventsOfCapture(capture: string): Promise<Record<string, unknown>[]> {
  const out = await run(process.execPath, [join(ROOT, 'bin/socbox.ts'), 'events', capture], {
    quiet: true,
  })
  // stdout and stderr come mixed: the events are the JSON lines.
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
}
