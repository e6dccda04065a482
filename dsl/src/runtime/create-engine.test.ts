import { describe, expect, it } from 'vitest'
import { createEngine, dedupKey } from './create-engine.ts'
import type { DetectionIR } from './ir.ts'
import type { RulePack, SocEvent } from './types.ts'

const detection = (id: string, on: string, where: DetectionIR['where']): DetectionIR => ({
  ir: 1,
  type: 'detection',
  id,
  version: 1,
  status: 'test',
  class: 'info.test',
  severity: 'low',
  attack: [],
  references: [],
  title: { en: ['t ', { ref: 'query' }], ja: ['t ', { ref: 'rcode' }] },
  explain: { en: [], ja: [] },
  actions: { en: [], ja: [] },
  on,
  where,
  key: ['query'],
})

const pack = (rules: DetectionIR[]): RulePack => ({
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

describe('dedupKey', () => {
  it('joins the rule id and key values, escaping the separator', () => {
    expect(dedupKey('SB-A-0001', ['10.0.0.5', 'a.example'])).toBe('SB-A-0001|10.0.0.5|a.example')
    expect(dedupKey('R', ['a|b', 'c'])).not.toBe(dedupKey('R', ['a', 'b|c']))
    expect(dedupKey('R', [undefined, 53])).toBe('R||53')
  })
})
