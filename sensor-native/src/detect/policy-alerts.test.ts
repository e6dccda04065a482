import { compilePack, createEngine, intelListsFrom, type SocEvent } from '@socbox/dsl'
import { describe, expect, it } from 'vitest'
import { policyAlerts } from './policy-alerts.ts'

const source = `detection "SB-TEST-0001" version 1 {
  title { en "lookup {query}" }
  class "suspicious.tor"
  severity medium
  on dns where ends_with(query, ".onion.to")
  emit key [src.ip, query]
}
policy "default" version 1 {
  raise severity to high when src.ip in cidr("10.0.0.0/8")
  dedup 1h
  rate 2 per 1h
}
`

const dns = (query: string, ts: number): SocEvent => ({
  kind: 'dns',
  ts,
  query,
  src: { ip: '10.0.0.5' },
  dst: { ip: '8.8.8.8' },
})

describe('policyAlerts', () => {
  it('applies the default policy: final severity, repeats counted, overflow as a digest', () => {
    const { pack } = compilePack([{ path: 'p.soc', text: source }], intelListsFrom([]))
    if (!pack) throw new Error('no pack')
    const events = [
      dns('a.onion.to', 0),
      dns('a.onion.to', 60_000),
      dns('b.onion.to', 1000),
      dns('c.onion.to', 2000),
      dns('d.onion.to', 3000),
    ]
    const { alerts } = createEngine(pack).evaluate(events, { tenant: 't', sensor: 's' })
    const out = policyAlerts(pack, alerts)
    expect(out.map((a) => [a.title.en, a.severity, a.count, a.lastTs])).toEqual([
      ['lookup a.onion.to', 'high', 2, 60_000],
      ['lookup b.onion.to', 'high', 1, 1000],
      ['2 more alert(s) of SB-TEST-0001 folded by the rate limit (2 per 1h)', 'high', 2, 3000],
    ])
  })

  it('falls back to dedup by key for a pack without a policy', () => {
    const { pack } = compilePack(
      [{ path: 'p.soc', text: source.slice(0, source.indexOf('policy')) }],
      intelListsFrom([]),
    )
    if (!pack) throw new Error('no pack')
    const { alerts } = createEngine(pack).evaluate([dns('a.onion.to', 0), dns('a.onion.to', 5)], {
      tenant: 't',
      sensor: 's',
    })
    expect(policyAlerts(pack, alerts).map((a) => [a.severity, a.count])).toEqual([['medium', 2]])
  })
})
