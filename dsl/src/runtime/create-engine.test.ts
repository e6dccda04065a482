import { describe, expect, it } from 'vitest'
import { createEngine, dedupKey, needsHit } from './create-engine.ts'
import type { CorrelationIR, DetectionIR, RuleIR } from './ir.ts'
import { detectionIR } from './rule-ir.fixture.ts'
import type { RulePack, SocEvent } from './types.ts'

const detection = (id: string, on: string, where: DetectionIR['where']): DetectionIR =>
  detectionIR({
    id,
    on,
    where,
    key: ['query'],
    title: { en: ['t ', { ref: 'query' }], ja: ['t ', { ref: 'rcode' }] },
  })

const pack = (rules: RuleIR[]): RulePack => ({
  v: 1,
  version: 't',
  hash: 'h',
  rules,
  plan: { v: 1, intel: [], content: [] },
})
const ctx = { tenant: 't', sensor: 's' }
const always = { op: 'const', value: true } as const

describe('createEngine', () => {
  it('evaluates only the rules written for the event kind', () => {
    const engine = createEngine(
      pack([detection('SB-A-0001', 'dns', always), detection('SB-B-0001', 'intel', always)]),
    )
    const { alerts } = engine.evaluate([{ kind: 'dns', ts: 5, query: 'q' }], ctx)
    expect(alerts.map((a) => a.rule)).toEqual(['SB-A-0001'])
    expect(alerts[0]?.title).toEqual({ en: 't q', ja: 't （不明）' })
  })

  it('isolates a rule that throws, counts its errors and keeps the others running', () => {
    const rule = detection('SB-BAD-0001', 'dns', {
      op: 'cmp',
      cmp: '==',
      left: { ref: 'qtype' },
      right: { lit: 'x' },
    })
    const engine = createEngine(pack([rule, detection('SB-OK-0001', 'dns', always)]))
    const poisoned = (): SocEvent => {
      const event: SocEvent = { kind: 'dns', ts: 1 }
      Object.defineProperty(event, 'qtype', {
        get: () => {
          throw new Error('boom')
        },
      })
      return event
    }
    const { alerts, errors } = engine.evaluate([poisoned(), poisoned()], ctx)
    expect(errors).toEqual([{ rule: 'SB-BAD-0001', message: 'boom', count: 2 }])
    expect(alerts.map((a) => a.rule)).toEqual(['SB-OK-0001', 'SB-OK-0001'])
  })

  it('refuses a pack or rule of an unknown version', () => {
    expect(() => createEngine({ ...pack([]), v: 2 } as unknown as RulePack)).toThrow(
      /pack version 2/,
    )
    expect(() =>
      createEngine(
        pack([{ ...detection('SB-A-0001', 'dns', always), ir: 9 } as unknown as DetectionIR]),
      ),
    ).toThrow(/SB-A-0001.*IR version 9/)
  })
})

describe('createEngine with correlations', () => {
  const correlation: CorrelationIR = {
    ...detection('SB-C-0001', 'dns', always),
    type: 'correlation',
    key: [],
    title: { en: [{ ref: '$0' }, ' names from ', { ref: 'src.ip' }], ja: [] },
    groupBy: [{ ref: 'src.ip' }],
    window: { type: 'sliding', ms: 60_000 },
    lateness: 1000,
    aggregates: [{ fn: 'distinct', field: 'query' }],
    when: { op: 'cmp', cmp: '>=', left: { ref: '$0' }, right: { lit: 2 } },
    limits: { groups: 1, distinct: 10, events: 10 },
  }
  const dns = (ts: number, ip: string, query: string): SocEvent => ({
    kind: 'dns',
    ts,
    src: { ip },
    query,
  })

  it('keeps state across batches, holds events for the lateness and releases them on flush', () => {
    const engine = createEngine(pack([correlation]))
    expect(engine.evaluate([dns(0, '10.0.0.1', 'a')], ctx).alerts).toEqual([])
    expect(engine.evaluate([dns(500, '10.0.0.1', 'b')], ctx).alerts).toEqual([])
    const { alerts } = engine.flush(ctx)
    expect(alerts).toMatchObject([
      {
        rule: 'SB-C-0001',
        ts: 500,
        key: 'SB-C-0001|10.0.0.1',
        title: { en: '2 names from 10.0.0.1' },
        correlation: { start: 0, end: 500, group: ['10.0.0.1'], values: { 'distinct(query)': 2 } },
      },
    ])
    expect(engine.state()).toEqual([{ rule: 'SB-C-0001', groups: 1 }])
  })

  it('reports state overflow and late events as rule errors with counts', () => {
    const engine = createEngine(pack([correlation]))
    // 7000 releases the events up to 6000; the event at 10 then comes after 5002 was released.
    const batch = [
      dns(5000, 'a', 'x'),
      dns(5001, 'b', 'x'),
      dns(5002, 'c', 'x'),
      dns(7000, 'a', 'z'),
      dns(10, 'a', 'y'),
    ]
    expect(engine.evaluate(batch, ctx).errors).toEqual([
      {
        rule: 'SB-C-0001',
        message: 'state limit: 1 groups reached, events of new groups dropped',
        count: 2,
      },
      { rule: 'SB-C-0001', message: 'late events dropped (more than 1000 ms behind)', count: 1 },
    ])
    const flushed = engine.flush(ctx)
    expect(flushed.errors).toEqual([])
    expect(flushed.alerts.map((a) => a.correlation?.values)).toEqual([{ 'distinct(query)': 2 }])
  })
})

describe('needsHit', () => {
  const intel = { op: 'intel', list: 'l', field: 'query' } as const
  const other = { op: 'exists', field: 'query' } as const
  it('is true only for conditions that cannot hold without an intel hit', () => {
    expect(needsHit(intel)).toBe(true)
    expect(needsHit({ op: 'and', args: [other, intel] })).toBe(true)
    expect(needsHit({ op: 'or', args: [intel, { op: 'and', args: [intel, other] }] })).toBe(true)
    expect(needsHit({ op: 'or', args: [intel, other] })).toBe(false)
    expect(needsHit({ op: 'not', arg: intel })).toBe(false)
  })

  it('leaves a not-intel rule evaluated on events without hits', () => {
    const rule = detection('SB-N-0001', 'dns', {
      op: 'not',
      arg: { op: 'intel', list: 'l', field: 'query' },
    })
    expect(
      createEngine(pack([rule])).evaluate([{ kind: 'dns', ts: 1, query: 'q' }], ctx).alerts,
    ).toHaveLength(1)
  })
})

describe('dedupKey', () => {
  it('joins the rule id and key values, escaping the separator', () => {
    expect(dedupKey('SB-A-0001', ['10.0.0.5', 'a.example'])).toBe('SB-A-0001|10.0.0.5|a.example')
    expect(dedupKey('R', ['a|b', 'c'])).not.toBe(dedupKey('R', ['a', 'b|c']))
    expect(dedupKey('R', [undefined, 53])).toBe('R||53')
  })
})
