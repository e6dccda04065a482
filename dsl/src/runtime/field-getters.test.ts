// The field getters: generated from the schema and up to date, one per field (and one per field
// of each kind), each reading what the path reads; and conditions compiled for a kind decide as
// the ones compiled for any kind.
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { COMMON_FIELDS, EVENT_KINDS } from '../../schema/event-schema.ts'
import { fieldGettersSource } from '../../schema/write-field-getters.ts'
import { type CompileEnv, compileExpr } from './compile-expr.ts'
import { FIELD_GETTERS, KIND_FIELD_GETTERS } from './field-getters.ts'
import type { ExprIR, Literal } from './ir.ts'
import { readPath } from './read-path.fixture.ts'
import type { SocEvent } from './types.ts'

const value = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, true, false, 0, 1, 53, 445, 4000, 'tcp', 'S0', ''),
  fc.anything(),
)
const endpoint = fc.oneof(
  value,
  fc.record({ ip: value, port: value, internal: value }, { requiredKeys: [] }),
)

function eventsOf(kind: string) {
  const names = Object.keys(EVENT_KINDS[kind]?.fields ?? {}).filter((name) => !name.includes('.'))
  return fc
    .tuple(fc.dictionary(fc.constantFrom(...names), value), endpoint, endpoint)
    .map(([fields, src, dst]) => ({ kind, ts: 0, ...fields, src, dst }) as SocEvent)
}

describe('per-kind field getters', () => {
  it('are the file the schema generates (node dsl/schema/write-field-getters.ts)', () => {
    const file = readFileSync(new URL('./field-getters.ts', import.meta.url), 'utf8')
    expect(file).toBe(fieldGettersSource())
  })

  it('cover exactly the common fields and the fields of each kind', () => {
    expect([...KIND_FIELD_GETTERS.keys()].sort()).toEqual(Object.keys(EVENT_KINDS).sort())
    for (const [kind, spec] of Object.entries(EVENT_KINDS))
      expect([...(KIND_FIELD_GETTERS.get(kind)?.keys() ?? [])].sort()).toEqual(
        [...Object.keys(COMMON_FIELDS), ...Object.keys(spec.fields)].sort(),
      )
  })

  it('read what a getter compiled from the path reads, on any event of the kind', () => {
    for (const [kind, getters] of KIND_FIELD_GETTERS)
      fc.assert(
        fc.property(eventsOf(kind), (event) => {
          for (const [path, get] of getters) expect(get(event)).toEqual(readPath(event, path))
        }),
        { numRuns: 30 },
      )
  })

  it('make conditions compiled for a kind decide as those compiled for any kind', () => {
    const kindEnv: CompileEnv = {
      variable: () => {
        throw new Error('no variables here')
      },
      firstSeen: () => {
        throw new Error('no first_seen here')
      },
      kind: 'conn',
    }
    const fields = [...(KIND_FIELD_GETTERS.get('conn')?.keys() ?? [])]
    const literal = fc.constantFrom<Literal>(true, false, 0, 1, 53, 445, 4000, 'tcp', 'S0', '')
    const test: fc.Arbitrary<ExprIR> = fc.oneof(
      fc.record({
        op: fc.constant('cmp' as const),
        cmp: fc.constantFrom('==', '!=', '<', '<=', '>', '>='),
        left: fc.constantFrom(...fields).map((ref) => ({ ref })),
        right: literal.map((lit) => ({ lit })),
      }),
      fc.record({
        op: fc.constant('in' as const),
        value: fc.constantFrom(...fields).map((ref) => ({ ref })),
        set: fc.array(literal, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ op: fc.constant('exists' as const), field: fc.constantFrom(...fields) }),
    )
    const expr = fc
      .array(test, { minLength: 1, maxLength: 4 })
      .map((args): ExprIR => (args.length === 1 ? (args[0] as ExprIR) : { op: 'and', args }))
    fc.assert(
      fc.property(expr, fc.array(eventsOf('conn'), { maxLength: 8 }), (condition, events) => {
        const anyKind = compileExpr(condition)
        const forConn = compileExpr(condition, kindEnv)
        for (const event of events) expect(forConn(event)).toBe(anyKind(event))
      }),
      { numRuns: 300 },
    )
  })
})

const schemaFields = () => {
  const names = new Set(Object.keys(COMMON_FIELDS))
  for (const kind of Object.values(EVENT_KINDS))
    for (const name of Object.keys(kind.fields)) names.add(name)
  return names
}

describe('field getters for any kind', () => {
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
