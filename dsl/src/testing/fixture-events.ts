// `given dns { query "a.example" src.ip 10.0.0.5 }` → a SocEvent shaped like the sensor's.
// Timed fixtures for correlations: `at 5s given …` places an event 5 s after the test starts,
// `repeat 20 every 2s given …` repeats it, with `{i}` in strings replaced by 0, 1, 2…
// (a number field may be written "{i}" too). Without `at`, an event comes 1 s after the previous.
import { fieldSpec } from '../../schema/event-schema.ts'
import type { SocEvent } from '../runtime/types.ts'
import type { EventFixture } from '../syntax/ast.ts'

/** Test time zero (2023-11-14T22:13:20Z). */
export const FIXTURE_EPOCH = 1_700_000_000_000
const DEFAULT_GAP = 1000
/** One test may not build more events than this (a typo in repeat should not hang the runner). */
export const MAX_FIXTURE_EVENTS = 100_000

export type FixtureResult = { events: SocEvent[]; problems: string[] }

export function fixtureEvents(fixtures: EventFixture[]): FixtureResult {
  const problems: string[] = []
  const events: SocEvent[] = []
  let time = FIXTURE_EPOCH - DEFAULT_GAP
  for (const fixture of fixtures) {
    time = fixture.offset === undefined ? time + DEFAULT_GAP : FIXTURE_EPOCH + fixture.offset.value
    const count = fixture.repeat?.count.value ?? 1
    const every = fixture.repeat?.every?.value ?? DEFAULT_GAP
    if (!Number.isInteger(count) || count < 1 || events.length + count > MAX_FIXTURE_EVENTS) {
      problems.push(
        `line ${fixture.at.line}: repeat must be a whole number from 1, at most ${MAX_FIXTURE_EVENTS} events per test`,
      )
      continue
    }
    for (let i = 0; i < count; i++) {
      events.push(buildEvent(fixture, time + i * every, i, problems))
    }
    time += (count - 1) * every
  }
  return { events, problems: [...new Set(problems)] }
}

function buildEvent(
  fixture: EventFixture,
  ts: number,
  index: number,
  problems: string[],
): SocEvent {
  const kind = fixture.kind.value
  const event: SocEvent = { kind, ts }
  for (const { path, value } of fixture.fields) {
    const spec = fieldSpec(kind, path.value)
    if (spec === undefined) {
      problems.push(`line ${path.at.line}: ${kind} events have no field ${path.value}`)
      continue
    }
    const fill = (v: string | number | boolean) =>
      typeof v === 'string' ? v.replaceAll('{i}', String(index)) : v
    let plain: unknown =
      value.type === 'list' ? value.items.map((item) => fill(item.value)) : fill(value.value)
    if (spec.type === 'number' && typeof plain === 'string') {
      const number = Number(plain)
      if (plain === '' || !Number.isFinite(number))
        problems.push(`line ${path.at.line}: ${path.value} needs a number`)
      plain = number
    }
    const dot = path.value.indexOf('.')
    if (dot < 0) {
      event[path.value] = plain
      continue
    }
    const outer = path.value.slice(0, dot)
    const parent = (event[outer] ?? {}) as Record<string, unknown>
    parent[path.value.slice(dot + 1)] = plain
    event[outer] = parent
  }
  return event
}
