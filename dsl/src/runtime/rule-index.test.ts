import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { syntheticEvents } from '../../bench/synthetic-events.ts'
import { syntheticLists, syntheticRules } from '../../bench/synthetic-rules.ts'
import { compilePack } from '../pack/compile-pack.ts'
import { intelListsFrom } from '../pack/intel-list.ts'
import { compileExpr } from './compile-expr.ts'
import { createEngine } from './create-engine.ts'
import type { DetectionIR, ExprIR } from './ir.ts'
import { keyConstraint } from './rule-index.ts'

describe('keyConstraint', () => {
  const eq = (ref: string, lit: string | number | boolean): ExprIR => ({
    op: 'cmp',
    cmp: '==',
    left: { ref },
    right: { lit },
  })
  it('finds the field a condition pins to constants, preferring the narrowest', () => {
    expect(keyConstraint(eq('query', 'a'))).toEqual({ path: 'query', values: ['a'] })
    expect(
      keyConstraint({
        op: 'and',
        args: [eq('rcode', 'NXDOMAIN'), eq('src.internal', true), eq('query', 'a')],
      }),
    ).toEqual({ path: 'query', values: ['a'] })
    expect(
      keyConstraint({
        op: 'or',
        args: [eq('dst.port', 1), { op: 'in', value: { ref: 'dst.port' }, set: [2, 3] }],
      }),
    ).toEqual({ path: 'dst.port', values: [1, 2, 3] })
    expect(keyConstraint({ op: 'or', args: [eq('dst.port', 1), eq('query', 'a')] })).toBeUndefined()
    expect(keyConstraint({ op: 'not', arg: eq('query', 'a') })).toBeUndefined()
  })
})

describe('the rule index', () => {
  it('raises exactly the alerts of trying every rule on every event, in the same order', () => {
    const { pack } = compilePack(syntheticRules(120), intelListsFrom(syntheticLists()))
    if (!pack) throw new Error('no pack')
    const events = syntheticEvents(20_000)
    const flat = (pack.rules as DetectionIR[]).map((rule) => ({
      id: rule.id,
      on: rule.on,
      test: compileExpr(rule.where),
    }))
    const expected: string[] = []
    for (const event of events)
      for (const rule of flat)
        if (rule.on === event.kind && rule.test(event)) expected.push(`${rule.id}@${event.flow}`)
    const { alerts } = createEngine(pack).evaluate(events, { tenant: 't', sensor: 's' })
    expect(alerts.map((a) => `${a.rule}@${a.event.flow}`)).toEqual(expected)
    expect(expected.length).toBeGreaterThan(100)
  })

  it('treats list fields like `in` does: any element', () => {
    const rule: DetectionIR = {
      ir: 1,
      type: 'detection',
      id: 'SB-T-0001',
      version: 1,
      status: 'test',
      class: 'info.t',
      severity: 'low',
      attack: [],
      references: [],
      title: { en: [], ja: [] },
      explain: { en: [], ja: [] },
      actions: { en: [], ja: [] },
      on: 'dns',
      where: { op: 'in', value: { ref: 'answers' }, set: ['192.0.2.1', '192.0.2.2'] },
      key: [],
    }
    const plan = { v: 1 as const, intel: [], content: [] }
    const engine = createEngine({ v: 1, version: 't', hash: '', rules: [rule], plan })
    const ctx = { tenant: 't', sensor: 's' }
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('192.0.2.1', '192.0.2.2', '198.51.100.1'), { maxLength: 4 }),
        (answers) => {
          const fired = engine.evaluate([{ kind: 'dns', ts: 1, answers }], ctx).alerts.length
          expect(fired).toBe(answers.some((a) => a !== '198.51.100.1') ? 1 : 0)
        },
      ),
    )
  })
})
