/** The compiled default rule pack (rules/dist/pack.json), loaded and run inside workerd. */
import type { SocEvent } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { defaultPack, newEngine } from './engine.ts'

const context = { tenant: 'ten_test', sensor: 'sen_test' }

function eventHitting(kind: string, field: string, list: string): SocEvent {
  return {
    kind,
    ts: 1_700_000_000_000,
    flow: '1:pack-test=',
    src: { ip: '10.1.2.3', port: 40000, internal: true },
    dst: { ip: '192.0.2.1', port: 53, internal: false },
    [field]: 'hit.example',
    hits: [{ list, field, indicator: 'hit.example' }],
  }
}

describe('the bundled default pack', () => {
  it('is a versioned, hashed pack with rules and a match plan', () => {
    expect(defaultPack.v).toBe(1)
    expect(defaultPack.version).toMatch(/\S/)
    expect(defaultPack.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(defaultPack.rules.length).toBeGreaterThan(0)
  })

  it('compiles in the Workers runtime (no eval) and fires each intel rule on a tagged event', () => {
    const engine = newEngine()
    const intelRules = defaultPack.rules.filter(
      (r) => r.type === 'detection' && r.where.op === 'intel',
    )
    expect(intelRules.length).toBeGreaterThan(0)
    for (const rule of intelRules) {
      if (rule.where.op !== 'intel') continue
      const event = eventHitting(rule.on, rule.where.field, rule.where.list)
      const { alerts, errors } = engine.evaluate([event], context)
      expect(errors).toEqual([])
      const alert = alerts.find((a) => a.rule === rule.id)
      expect(alert, rule.id).toBeDefined()
      expect(alert?.title.en).not.toBe('')
      expect(alert?.title.ja).not.toBe('')
    }
  })

  it('stays quiet on untagged events', () => {
    const kinds = new Set(defaultPack.rules.map((r) => r.on))
    const events: SocEvent[] = [...kinds].map((kind) => ({ kind, ts: 1, query: 'example.com' }))
    const { alerts, errors } = newEngine().evaluate(events, context)
    expect(errors).toEqual([])
    expect(alerts).toEqual([])
  })
})
