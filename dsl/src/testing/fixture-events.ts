// `given dns { query "a.example" src.ip 10.0.0.5 }` → a SocEvent shaped like the sensor's.
import { fieldSpec } from '../../schema/event-schema.ts'
import type { SocEvent } from '../runtime/types.ts'
import type { EventFixture } from '../syntax/ast.ts'

/** Fixtures without a ts are spaced one second apart from this instant (2023-11-14T22:13:20Z). */
export const FIXTURE_EPOCH = 1_700_000_000_000

export type FixtureResult = { events: SocEvent[]; problems: string[] }

export function fixtureEvents(fixtures: EventFixture[]): FixtureResult {
  const problems: string[] = []
  const events = fixtures.map((fixture, index) => {
    const kind = fixture.kind.value
    const event: SocEvent = { kind, ts: FIXTURE_EPOCH + index * 1000 }
    for (const { path, value } of fixture.fields) {
      if (fieldSpec(kind, path.value) === undefined) {
        problems.push(`line ${path.at.line}: ${kind} events have no field ${path.value}`)
        continue
      }
      const plain = value.type === 'list' ? value.items.map((item) => item.value) : value.value
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
  })
  return { events, problems }
}
