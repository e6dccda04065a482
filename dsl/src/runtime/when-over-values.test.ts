// A correlation's `when` read straight from the list of aggregate values gives what it gives
// over the view the correlator used to fill ($0, $1… as fields of one object).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compileExpr } from './compile-expr.ts'
import { onValuesOnly } from './correlator.ts'
import type { ExprIR } from './ir.ts'
import type { SocEvent } from './types.ts'

const cmp = (left: string, op: '>=' | '<' | '==' | '!=', right: number): ExprIR => ({
  op: 'cmp',
  cmp: op,
  left: { ref: left },
  right: { lit: right },
})
const env = {
  variable: () => ({ value: 3, has: (v: unknown) => v === 3 }),
  firstSeen: () => () => false,
}

describe('onValuesOnly', () => {
  const whens: ExprIR[] = [
    cmp('$0', '>=', 3),
    { op: 'and', args: [cmp('$0', '>=', 2), { op: 'not', arg: cmp('$1', '<', 0.5) }] },
    { op: 'or', args: [cmp('$1', '==', 1), cmp('$0', '!=', 4)] },
    { op: 'in', value: { ref: '$1' }, set: [1, 2, 3] },
    { op: 'cmp', cmp: '>=', left: { ref: '$0' }, right: { var: 'threshold' } },
    { op: 'cmp', cmp: '>', left: { ref: '$0' }, right: { ref: '$1' } },
  ]
  it('agrees with `when` over the view for any aggregate values', () => {
    const value = fc.option(fc.oneof(fc.integer({ min: -2, max: 6 }), fc.double()), {
      nil: undefined,
    })
    for (const when of whens) {
      const overValues = onValuesOnly(when, 2, env)
      if (overValues === undefined) throw new Error(`not over values: ${JSON.stringify(when)}`)
      const overView = compileExpr(when, env)
      fc.assert(
        fc.property(fc.tuple(value, value), (values) => {
          const view: SocEvent = { kind: '', ts: 1, $0: values[0], $1: values[1] }
          expect(overValues(values as unknown as SocEvent)).toBe(overView(view))
        }),
      )
    }
  })

  it('leaves to the view a `when` that names anything but an aggregate of the rule', () => {
    expect(onValuesOnly(cmp('$2', '>=', 1), 2, env)).toBeUndefined()
    expect(onValuesOnly(cmp('ts', '>=', 1), 2, env)).toBeUndefined()
    expect(onValuesOnly({ op: 'exists', field: '$0' }, 2, env)).toBeUndefined()
    expect(onValuesOnly(cmp('$01', '>=', 1), 2, env)).toBeUndefined()
  })
})
