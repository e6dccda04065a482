// Site variables, emit keys computed by functions and first_seen, through the engine as a pack
// compiled from source runs them.
import { describe, expect, it } from 'vitest'
import { compilePack } from '../pack/compile-pack.ts'
import { intelListsFrom } from '../pack/intel-list.ts'
import { createEngine } from './create-engine.ts'
import { FUNCTION_IMPLS } from './functions.ts'
import type { SocEvent } from './types.ts'

const source = `variable $dns_servers cidrs [10.0.0.53]
variable $long_name number 30

detection "SB-TEST-0001" version 1 {
  title { en "outside resolver" }
  class "info.test"
  severity low
  on dns where dst.ip not in $dns_servers and src.ip not in $dns_servers
  emit key [cidr_prefix(src.ip, 24), parent_domain(lower(query))]
}

detection "SB-TEST-0002" version 1 {
  title { en "new domain {query}" }
  class "info.test"
  severity low
  on dns where len(query) < $long_name and first_seen(last_labels(query, 2), 30d)
  emit key [last_labels(query, 2)]
}
`

const { pack, diagnostics } = compilePack([{ path: 't.soc', text: source }], intelListsFrom([]))
const dns = (query: string, src: string, dst: string, ts = 0): SocEvent => ({
  kind: 'dns',
  ts,
  query,
  src: { ip: src },
  dst: { ip: dst },
})

describe('site variables, emit key functions and first_seen in the engine', () => {
  it('compiles', () => expect(diagnostics).toEqual([]))

  it('reads site variables per tenant, with defaults, and reports bad settings', () => {
    if (!pack) throw new Error('no pack')
    const engine = createEngine(pack)
    const events = [
      dns('A.Example.com', '10.1.2.3', '10.0.0.53'),
      dns('b.example.com', '10.1.2.9', '8.8.8.8'),
    ]
    const ids = (site?: Record<string, unknown>) =>
      engine
        .evaluate(events, { tenant: 't', sensor: 's', ...(site ? { site } : {}) })
        .alerts.filter((a) => a.rule === 'SB-TEST-0001')
        .map((a) => a.key)
    expect(ids()).toEqual(['SB-TEST-0001|10.1.2.0/24|example.com'])
    expect(ids({ dns_servers: ['8.8.8.8'] })).toEqual(['SB-TEST-0001|10.1.2.0/24|example.com'])
    expect(ids({ dns_servers: [] })).toHaveLength(2)
    const { errors } = engine.evaluate(events, {
      tenant: 't',
      sensor: 's',
      site: { dns_servers: [1] },
    })
    expect(errors).toContainEqual({
      rule: '$dns_servers',
      message: 'site setting ignored: $dns_servers: 1 is not an address or prefix',
      count: 1,
    })
  })

  it('raises first_seen once per registered domain and tenant within the window', () => {
    if (!pack) throw new Error('no pack')
    const engine = createEngine(pack)
    const day = 86_400_000
    const fresh = (tenant: string, events: SocEvent[]) =>
      engine
        .evaluate(events, { tenant, sensor: 's' })
        .alerts.filter((a) => a.rule === 'SB-TEST-0002')
        .map((a) => a.key)
    expect(
      fresh('t', [
        dns('a.new.example', '10.0.0.1', '10.0.0.53'),
        dns('b.new.example', '10.0.0.2', '10.0.0.53', 1),
      ]),
    ).toEqual(['SB-TEST-0002|new.example'])
    expect(fresh('u', [dns('c.new.example', '10.0.0.1', '10.0.0.53', 2)])).toEqual([
      'SB-TEST-0002|new.example',
    ])
    expect(fresh('t', [dns('d.new.example', '10.0.0.1', '10.0.0.53', 40 * day)])).toEqual([
      'SB-TEST-0002|new.example',
    ])
    const saved = engine.saveFirstSeen()
    const restarted = createEngine(pack)
    expect(restarted.loadFirstSeen(JSON.parse(JSON.stringify(saved)))).toEqual([])
    const after = restarted.evaluate([dns('e.new.example', '10.0.0.1', '10.0.0.53', 41 * day)], {
      tenant: 't',
      sensor: 's',
    })
    expect(after.alerts.filter((a) => a.rule === 'SB-TEST-0002')).toEqual([])
  })
})

describe('key functions', () => {
  it('parent_domain and cidr_prefix', () => {
    expect(FUNCTION_IMPLS.parent_domain?.('a.b.example.com')).toBe('b.example.com')
    expect(FUNCTION_IMPLS.parent_domain?.('localhost')).toBeUndefined()
    expect(FUNCTION_IMPLS.cidr_prefix?.('10.1.2.3', 24)).toBe('10.1.2.0/24')
    expect(FUNCTION_IMPLS.cidr_prefix?.('10.1.2.3', 33)).toBeUndefined()
    expect(FUNCTION_IMPLS.cidr_prefix?.('2001:db8:1:2::9', 48)).toBe('2001:db8:1:0:0:0:0:0/48')
    expect(FUNCTION_IMPLS.cidr_prefix?.('nope', 8)).toBeUndefined()
  })
})

describe('a site variable as a correlation threshold', () => {
  const text = `variable $scan_ports number 5

correlation "SB-TEST-0003" version 1 {
  title { en "scan from {src.ip}" }
  class "recon.scan"
  severity medium
  on conn
  group by src.ip
  window sliding 1m
  when distinct(dst.port) >= $scan_ports
}
`
  it('fires at the default, and at the tenant value when set', () => {
    const compiled = compilePack([{ path: 'c.soc', text }], intelListsFrom([]))
    expect(compiled.diagnostics).toEqual([])
    if (!compiled.pack) throw new Error('no pack')
    const conns = (src: string): SocEvent[] =>
      Array.from({ length: 6 }, (_, i) => ({
        kind: 'conn',
        ts: 1000 + i,
        src: { ip: src },
        dst: { ip: '10.0.0.1', port: 100 + i },
      }))
    const fired = (site?: Record<string, unknown>) =>
      createEngine(compiled.pack as NonNullable<typeof compiled.pack>).evaluate(conns('10.0.0.9'), {
        tenant: 't',
        sensor: 's',
        ...(site ? { site } : {}),
      }).alerts.length
    expect(fired()).toBe(1)
    expect(fired({ scan_ports: 10 })).toBe(0)
    const wrong = compilePack(
      [{ path: 'c.soc', text: text.replace('number 5', 'strings []') }],
      intelListsFrom([]),
    )
    expect(wrong.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '10:30 $scan_ports is strings; aggregates compare with numbers',
    ])
  })
})
