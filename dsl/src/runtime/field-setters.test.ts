import { describe, expect, it } from 'vitest'
import { COMMON_FIELDS, EVENT_KINDS } from '../../schema/event-schema.ts'
import { FIELD_STORES } from './field-setters.ts'

describe('hand-written field stores', () => {
  it('cover every top-level field of the event schema, and hits', () => {
    const names = new Set(['hits'])
    for (const name of Object.keys(COMMON_FIELDS)) names.add(name.split('.')[0] as string)
    for (const kind of Object.values(EVENT_KINDS))
      for (const name of Object.keys(kind.fields)) names.add(name.split('.')[0] as string)
    // kind and ts are set by the decoder itself, never from a column.
    names.delete('kind')
    names.delete('ts')
    expect([...FIELD_STORES.keys()].sort()).toEqual([...names].sort())
  })

  it('each stores a column under its own name, from the offset given, and leaves out null', () => {
    for (const [name, store] of FIELD_STORES) {
      const events: Record<string, unknown>[] = [1, 2, 3, 4].map((ts) => ({ kind: 'conn', ts }))
      const value = { stored: name }
      store(events, 1, [value, null, 0])
      expect(events).toEqual([
        { kind: 'conn', ts: 1 },
        { kind: 'conn', ts: 2, [name]: value },
        { kind: 'conn', ts: 3 },
        { kind: 'conn', ts: 4, [name]: 0 },
      ])
      expect(Object.keys(events[1] as object)).toEqual(['kind', 'ts', name])
    }
  })
})
