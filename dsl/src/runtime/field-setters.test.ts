import { describe, expect, it } from 'vitest'
import { COMMON_FIELDS, EVENT_KINDS } from '../../schema/event-schema.ts'
import { FIELD_SETTERS } from './field-setters.ts'

describe('hand-written field stores', () => {
  it('cover every top-level field of the event schema, and hits', () => {
    const names = new Set(['hits'])
    for (const name of Object.keys(COMMON_FIELDS)) names.add(name.split('.')[0] as string)
    for (const kind of Object.values(EVENT_KINDS))
      for (const name of Object.keys(kind.fields)) names.add(name.split('.')[0] as string)
    // kind and ts are set by the decoder itself, never from a column.
    names.delete('kind')
    names.delete('ts')
    expect([...FIELD_SETTERS.keys()].sort()).toEqual([...names].sort())
  })

  it('each stores its value under its own name and nothing else', () => {
    for (const [name, set] of FIELD_SETTERS) {
      const event: Record<string, unknown> = { kind: 'conn', ts: 1 }
      const value = { stored: name }
      set(event, value)
      expect(event).toEqual({ kind: 'conn', ts: 1, [name]: value })
      expect(Object.keys(event)).toEqual(['kind', 'ts', name])
    }
  })
})
