import { describe, expect, it } from 'vitest'
import { createEngine } from '../runtime/create-engine.ts'
import { packTag, policyContent } from '../runtime/pack-tag.ts'
import { compilePack } from './compile-pack.ts'
import { intelListsFrom } from './intel-list.ts'
import { sha256Hex } from './sha256.ts'

const lists = intelListsFrom([
  { id: 'demo.onion', ioc: 'domain', entries: ['onion.to', 'tor2web.org'] },
  { id: 'demo.unused', ioc: 'domain', entries: ['never.example'] },
  { id: 'demo.ips', ioc: 'ip', entries: ['198.51.100.7'] },
])

const rule = `detection "SB-TEST-0001" version 3 {
  title { en "Lookup of {query} by {src.ip}" ja "{src.ip} による {query} の名前解決" }
  explain { en "why" ja "なぜ" }
  actions { en ["Check {src.ip}"] ja ["{src.ip} を確認"] }
  class "suspicious.tor" severity medium attack [T1090.003]
  on dns where query in intel("demo.onion") and not src.ip == "10.9.9.9"
  emit key [src.ip, query]
}`

const dns = (query: string, ip: string, hits: unknown[] = []) => ({
  kind: 'dns',
  ts: 1700000000000,
  src: { ip, port: 5000, internal: true },
  dst: { ip: '8.8.8.8', port: 53, internal: false },
  query,
  ...(hits.length ? { hits } : {}),
})

describe('compilePack', () => {
  const { pack, diagnostics } = compilePack([{ path: 'rules/x.soc', text: rule }], lists)

  it('compiles without diagnostics into a versioned pack', () => {
    expect(diagnostics).toEqual([])
    expect(pack?.v).toBe(1)
    expect(pack?.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(pack?.version).toBe(pack?.hash.slice(0, 12))
    expect(pack?.rules[0]).toMatchObject({
      ir: 1,
      id: 'SB-TEST-0001',
      version: 3,
      on: 'dns',
      key: ['src.ip', 'query'],
    })
  })

  it('puts only the lists the rules use into the match plan', () => {
    expect(pack?.plan).toEqual({
      v: 1,
      intel: [{ list: 'demo.onion', ioc: 'domain', entries: ['onion.to', 'tor2web.org'] }],
      content: [],
    })
  })

  it('survives JSON and evaluates events into alerts with interpolated text', () => {
    const engine = createEngine(JSON.parse(JSON.stringify(pack)))
    const hit = [{ list: 'demo.onion', field: 'query', indicator: 'onion.to' }]
    const { alerts, errors } = engine.evaluate(
      [
        dns('badsite.onion.to', '10.0.0.5', hit),
        dns('clean.example', '10.0.0.5'),
        dns('badsite.onion.to', '10.9.9.9', hit),
      ],
      { tenant: 't', sensor: 's' },
    )
    expect(errors).toEqual([])
    expect(alerts).toHaveLength(1)
    expect(alerts[0]).toMatchObject({
      rule: 'SB-TEST-0001',
      version: 3,
      class: 'suspicious.tor',
      severity: 'medium',
      key: 'SB-TEST-0001|10.0.0.5|badsite.onion.to',
      title: {
        en: 'Lookup of badsite.onion.to by 10.0.0.5',
        ja: '10.0.0.5 による badsite.onion.to の名前解決',
      },
      actions: { en: ['Check 10.0.0.5'], ja: ['10.0.0.5 を確認'] },
      attack: ['T1090.003'],
      src: { ip: '10.0.0.5', port: 5000, internal: true },
    })
  })

  it('does not fire on a hit of another field or list', () => {
    const engine = createEngine(pack ?? fail())
    const { alerts } = engine.evaluate(
      [
        dns('x.example', '10.0.0.5', [
          { list: 'demo.onion', field: 'answers', indicator: 'onion.to' },
        ]),
      ],
      { tenant: 't', sensor: 's' },
    )
    expect(alerts).toEqual([])
  })

  it('gives the same hash whatever the order of files', () => {
    const other = `detection "SB-TEST-0002" version 1 { title { en "b" } class "suspicious.tor" severity low on dns }`
    const a = compilePack(
      [
        { path: 'a.soc', text: rule },
        { path: 'b.soc', text: other },
      ],
      lists,
    )
    const b = compilePack(
      [
        { path: 'b.soc', text: other },
        { path: 'a.soc', text: rule },
      ],
      lists,
    )
    expect(a.pack?.hash).toBe(b.pack?.hash)
  })

  it('returns diagnostics and no pack when a rule is wrong', () => {
    const broken = rule.replace('intel("demo.onion")', 'intel("demo.missing")')
    const result = compilePack([{ path: 'rules/x.soc', text: broken }], lists)
    expect(result.pack).toBeUndefined()
    expect(result.diagnostics).toMatchObject([
      { file: 'rules/x.soc', line: 6, column: 31, message: 'unknown intel list "demo.missing"' },
    ])
  })

  it('checks deprecated rules but does not ship them, nor the lists only they use', () => {
    const deprecated = rule.replace('severity medium', 'severity medium status deprecated')
    const result = compilePack([{ path: 'a.soc', text: deprecated }], lists)
    expect(result.diagnostics).toEqual([])
    expect(result.pack?.rules).toEqual([])
    expect(result.pack?.plan.intel).toEqual([])
  })

  it('reports a rule id used twice', () => {
    const result = compilePack(
      [
        { path: 'a.soc', text: rule },
        { path: 'b.soc', text: rule },
      ],
      lists,
    )
    expect(result.diagnostics.map((d) => d.message)).toEqual([
      'rule id SB-TEST-0001 is already used in a.soc:1',
    ])
  })
})

function fail(): never {
  throw new Error('no pack')
}

describe('pack version and tag with policies and site variables', () => {
  const policy = (
    route: string,
    doc = 'Domain controllers',
  ) => `variable $domain_controllers cidrs [] {
  en "${doc}"
  ja "ドメインコントローラー"
}
policy "default" version 1 {
  route ${route} when severity >= high
}`
  const packOf = (policyText: string) => {
    const { pack, diagnostics } = compilePack(
      [
        { path: 'rules/x.soc', text: rule },
        { path: 'policies/default.soc', text: policyText },
      ],
      lists,
    )
    expect(diagnostics).toEqual([])
    if (!pack) throw new Error('no pack')
    return pack
  }

  it('a policy-only or declaration-only edit keeps the hash and changes version and tag', () => {
    const base = packOf(policy('immediate'))
    const routed = packOf(policy('pager'))
    const described = packOf(policy('immediate', 'The site’s domain controllers'))
    for (const edited of [routed, described]) {
      // The sensor's plan is the same: nothing to swap there.
      expect(edited.hash).toBe(base.hash)
      expect(edited.policyHash).not.toBe(base.policyHash)
      expect(edited.version).not.toBe(base.version)
      expect(packTag(edited)).not.toBe(packTag(base))
    }
    expect(base.version).toBe(`${base.hash.slice(0, 12)}.${base.policyHash?.slice(0, 8)}`)
    expect(packTag(base)).toBe(`${base.hash}.${base.policyHash}`)
    expect(base.policyHash).toBe(sha256Hex(policyContent(base) ?? ''))
    // Without policies or variables, the tag is the hash, as it always was.
    const plain = compilePack([{ path: 'rules/x.soc', text: rule }], lists).pack
    expect(plain && packTag(plain)).toBe(plain?.hash)
    expect(plain && policyContent(plain)).toBeUndefined()
  })
})
