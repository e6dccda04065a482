import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { syntheticEvents } from '../../bench/synthetic-events.ts'
import { syntheticLists, syntheticRules } from '../../bench/synthetic-rules.ts'
import { compilePack } from '../pack/compile-pack.ts'
import { intelListsFrom } from '../pack/intel-list.ts'
import { compileExpr } from './compile-expr.ts'
import { createCorrelator } from './correlator.ts'
import { createEngine } from './create-engine.ts'
import type { DetectionIR, ExprIR } from './ir.ts'
import { HIT_LISTS, keyConstraint, keyConstraints, LEARN_EVENTS, RuleIndex } from './rule-index.ts'
import { correlationIR, detectionIR } from './rule-ir.fixture.ts'
import type { SocEvent } from './types.ts'

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

  it('offers only the operands before a first_seen, which must see every event it would have', () => {
    const firstSeen: ExprIR = { op: 'first_seen', value: { ref: 'query' }, window: 1000 }
    expect(
      keyConstraints({ op: 'and', args: [eq('rcode', 'X'), firstSeen, eq('query', 'a')] }),
    ).toEqual([{ path: 'rcode', values: ['X'] }])
    expect(keyConstraints({ op: 'and', args: [firstSeen, eq('query', 'a')] })).toEqual([])
  })
})

describe('RuleIndex', () => {
  const eq = (ref: string, lit: string | number): ExprIR => ({
    op: 'cmp',
    cmp: '==',
    left: { ref },
    right: { lit },
  })
  type Rule = { id: string; order: number; where: ExprIR }
  const any: Rule = { id: 'any', order: 0, where: { op: 'const', value: true } }
  const rdp: Rule = {
    id: 'rdp',
    order: 1,
    where: { op: 'and', args: [eq('proto', 'tcp'), eq('dst.port', 3389)] },
  }
  const udp: Rule = { id: 'udp', order: 2, where: eq('proto', 'udp') }
  const conn = (proto: string, port: number): SocEvent => ({
    kind: 'conn',
    ts: 0,
    proto,
    dst: { ip: '192.0.2.1', port },
  })
  const found = (index: RuleIndex<Rule>, event: SocEvent) => {
    const out: Rule[] = []
    return out.slice(0, index.candidates(event, out)).map((rule) => rule.id)
  }

  it('files a rule under the field whose pinned values the traffic held least often', () => {
    const index = new RuleIndex([any, rdp, udp], (rule) => rule.where, 10)
    // Before it has seen traffic: by the guess (one value each: the first written, proto).
    expect(index.fields.map((f) => f.path)).toEqual(['proto'])
    expect(found(index, conn('tcp', 443))).toEqual(['any', 'rdp'])
    for (let i = 0; i < 10; i++) found(index, conn('tcp', 443 + (i % 2)))
    // Every connection was tcp, none went to 3389: the rdp rule now waits for port 3389.
    expect(index.fields.map((f) => f.path)).toEqual(['dst.port', 'proto'])
    expect(found(index, conn('tcp', 443))).toEqual(['any'])
    expect(found(index, conn('tcp', 3389))).toEqual(['any', 'rdp'])
    expect(found(index, conn('udp', 3389))).toEqual(['any', 'rdp', 'udp'])
  })

  it('files a rule that needs an intel hit under the hit lists of the event', () => {
    const c2: Rule = {
      id: 'c2',
      order: 0,
      where: {
        op: 'and',
        args: [eq('proto', 'tcp'), { op: 'intel', field: 'dst.ip', list: 'c2' }],
      },
    }
    const index = new RuleIndex([c2], (rule) => rule.where)
    expect(index.fields.map((f) => f.path)).toEqual([HIT_LISTS])
    expect(found(index, conn('tcp', 443))).toEqual([])
    const hit = (list: string) => ({ ...conn('tcp', 443), hits: [{ list, field: 'dst.ip' }] })
    expect(found(index, hit('other'))).toEqual([])
    expect(found(index, hit('c2'))).toEqual(['c2'])
  })

  it('keeps a rule under its guess when the traffic held both fields as often', () => {
    const index = new RuleIndex([rdp], (rule) => rule.where, 4)
    for (let i = 0; i < 4; i++) found(index, conn('udp', 53))
    expect(index.fields.map((f) => f.path)).toEqual(['proto'])
  })

  it('finds the same rules in the same order with its rules as bits as with lists', () => {
    // Rules on a few fields and values (some pinned, some on lists, some not at all); with more
    // rules than fit the bits of a mask, the index keeps lists: both must give the same. (Flags
    // among the values: masks read true and false without the Map, lists through it.)
    const value = fc.constantFrom('a', 'b', 'c', 1, 2, true, false, 'true', 0)
    const path = fc.constantFrom('proto', 'dst.port', 'answers')
    const where: fc.Arbitrary<ExprIR> = fc.oneof(
      fc.constant({ op: 'const', value: true } as ExprIR),
      fc.tuple(path, value).map(([ref, lit]) => eq(ref, lit as string)),
      fc
        .tuple(path, fc.array(value, { minLength: 1, maxLength: 3 }))
        .map(([ref, set]) => ({ op: 'in', value: { ref }, set }) as ExprIR),
    )
    const event = fc
      .record({ proto: value, port: value, answers: fc.array(value, { maxLength: 3 }) })
      .map(
        ({ proto, port, answers }) =>
          ({ kind: 'conn', ts: 0, proto, answers, dst: { ip: '', port } }) as SocEvent,
      )
    fc.assert(
      fc.property(
        fc.array(where, { minLength: 1, maxLength: 31 }),
        fc.array(event, { minLength: 1, maxLength: 30 }),
        (wheres, events) => {
          const rules = wheres.map((w, i) => ({ id: `r${i}`, order: i, where: w }))
          // Never a candidate (no event has this proto), but enough to leave mask mode.
          const padding = Array.from({ length: 32 }, (_, i) => ({
            id: `pad${i}`,
            order: 100 + i,
            where: eq('proto', 'never'),
          }))
          const masks = new RuleIndex(rules, (rule) => rule.where, 10)
          const lists = new RuleIndex([...rules, ...padding], (rule) => rule.where, 10)
          for (const e of events) expect(found(masks, e)).toEqual(found(lists, e))
        },
      ),
    )
  })

  it('gives correlations filed by the engine the firings of a correlator that sees every event', () => {
    const rules = [
      correlationIR({
        id: 'SB-T-0001',
        where: { op: 'and', args: [eq('proto', 'tcp'), eq('state', 'S0')] },
        aggregates: [{ fn: 'distinct', field: 'dst.port' }],
        when: { op: 'cmp', cmp: '>=', left: { ref: '$0' }, right: { lit: 3 } },
      }),
      correlationIR({
        id: 'SB-T-0002',
        where: {
          op: 'and',
          args: [eq('proto', 'tcp'), { op: 'in', value: { ref: 'dst.port' }, set: [22, 445] }],
        },
        when: { op: 'cmp', cmp: '>=', left: { ref: '$0' }, right: { lit: 2 } },
      }),
    ]
    const event = fc.record({
      proto: fc.constantFrom('tcp', 'udp'),
      state: fc.constantFrom('S0', 'SF', 'REJ'),
      port: fc.constantFrom(22, 80, 443, 445),
      src: fc.constantFrom('10.0.0.1', '10.0.0.2'),
      gap: fc.integer({ min: 0, max: 4000 }),
    })
    fc.assert(
      fc.property(
        fc.array(event, { minLength: LEARN_EVENTS + 200, maxLength: LEARN_EVENTS + 800 }),
        (drawn) => {
          let ts = 0
          const events: SocEvent[] = drawn.map((e) => {
            ts += e.gap
            return {
              kind: 'conn',
              ts,
              proto: e.proto,
              state: e.state,
              src: { ip: e.src },
              dst: { ip: '10.0.0.9', port: e.port },
            }
          })
          const expected: string[] = []
          const correlators = rules.map((rule) => ({ id: rule.id, c: createCorrelator(rule) }))
          for (const e of events)
            for (const { id, c } of correlators)
              for (const firing of c.push(e)) expected.push(`${id}@${firing.event.ts}`)
          const plan = { v: 1 as const, intel: [], content: [] }
          const engine = createEngine({ v: 1, version: 't', hash: '', rules, plan })
          const { alerts } = engine.evaluate(events, { tenant: 't', sensor: 's' })
          expect(alerts.map((a) => `${a.rule}@${a.ts}`)).toEqual(expected)
        },
      ),
      { numRuns: 30 },
    )
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
    const rule = detectionIR({
      where: { op: 'in', value: { ref: 'answers' }, set: ['192.0.2.1', '192.0.2.2'] },
    })
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
