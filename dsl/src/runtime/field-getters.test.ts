import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COMMON_FIELDS, EVENT_KINDS } from '../../schema/event-schema.ts'
import { FIELD_GETTERS } from './field-getters.ts'
import { readPath } from './read-path.fixture.ts'
import type { SocEvent } from './types.ts'

const schemaFields = () => {
  const names = new Set(Object.keys(COMMON_FIELDS))
  for (const kind of Object.values(EVENT_KINDS))
    for (const name of Object.keys(kind.fields)) names.add(name)
  return names
}

describe('hand-written field getters', () => {
  it('cover exactly the fields of the event schema', () => {
    expect([...FIELD_GETTERS.keys()].sort()).toEqual([...schemaFields()].sort())
  })

  it('read what a getter compiled from the path reads, on any event', () => {
    const paths = [...FIELD_GETTERS.keys()]
    const value = fc.oneof(fc.anything(), fc.constant(undefined), fc.constant(null))
    const endpoint = fc.oneof(
      value,
      fc.record({ ip: value, port: value, internal: value }, { requiredKeys: [] }),
    )
    const field = fc.constantFrom(...paths.filter((path) => !path.includes('.')))
    const event = fc
      .tuple(fc.dictionary(field, value), endpoint, endpoint)
      .map(([fields, src, dst]) => ({ kind: 'conn', ts: 0, ...fields, src, dst }) as SocEvent)
    fc.assert(
      fc.property(event, (e) => {
        for (const path of paths) expect(FIELD_GETTERS.get(path)?.(e)).toEqual(readPath(e, path))
      }),
    )
  })
})
