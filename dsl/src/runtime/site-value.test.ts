// The `ports` and `domains` site variable types: what the checker and the runtime accept, and
// how a rule tests them, defaults and a tenant's values alike.
import { describe, expect, it } from 'vitest'
import { compilePack } from '../pack/compile-pack.ts'
import { intelListsFrom } from '../pack/intel-list.ts'
import { createEngine } from './create-engine.ts'
import { domainName, domainTest, isPort } from './site-value.ts'
import { checkSiteSettings } from './site-variables.ts'
import type { SocEvent } from './types.ts'

const source = `variable $internal_domains domains ["corp.example"] {
  en "Internal DNS domains" ja "社内のDNSドメイン"
}
variable $admin_ports ports [22, 3389] {
  en "Administration ports" ja "管理用ポート"
}

detection "SB-TEST-0001" version 1 {
  title { en "outside lookup {query}" }
  class "info.test"
  severity low
  on dns where not query in $internal_domains
  emit key [query]
}

detection "SB-TEST-0002" version 1 {
  title { en "admin port {dst.port}" }
  class "info.test"
  severity low
  on conn where dst.port in $admin_ports
  emit key [dst.ip, dst.port]
}
`

describe('ports and domains', () => {
  it('checks elements the same way in the checker and at run time', () => {
    expect([0, 22, 65_535].every(isPort)).toBe(true)
    expect([-1, 65_536, 2.5, '22'].some(isPort)).toBe(false)
    expect(domainName('WPAD.Corp.Example.')).toBe('wpad.corp.example')
    for (const bad of ['', 'a..b', '-x.example', 'x y.example', 'a'.repeat(64), 5])
      expect(domainName(bad)).toBeUndefined()
    const test = domainTest(['Corp.Example'])
    expect(['corp.example', 'wpad.corp.example.', 'A.B.CORP.EXAMPLE'].every(test)).toBe(true)
    expect(['notcorp.example', 'example', 'corp.example.org', 7].some(test)).toBe(false)
  })

  it('are declared, typed in conditions, and take a tenant’s values', () => {
    const { pack, diagnostics } = compilePack([{ path: 't.soc', text: source }], intelListsFrom([]))
    expect(diagnostics).toEqual([])
    if (!pack) throw new Error('no pack')
    const variables = pack.variables ?? []
    expect(variables.map((v) => [v.name, v.type, v.default])).toEqual([
      ['internal_domains', 'domains', ['corp.example']],
      ['admin_ports', 'ports', [22, 3389]],
    ])
    const events: SocEvent[] = [
      { kind: 'dns', ts: 1, query: 'wpad.corp.example', src: { ip: '10.0.0.5' } },
      { kind: 'dns', ts: 2, query: 'files.lab.example', src: { ip: '10.0.0.5' } },
      { kind: 'conn', ts: 3, src: { ip: '10.0.0.5' }, dst: { ip: '10.0.0.9', port: 5985 } },
      { kind: 'conn', ts: 4, src: { ip: '10.0.0.5' }, dst: { ip: '10.0.0.9', port: 22 } },
    ]
    const keys = (site?: Record<string, unknown>) =>
      createEngine(pack)
        .evaluate(events, { tenant: 't', sensor: 's', ...(site ? { site } : {}) })
        .alerts.map((a) => a.key)
    expect(keys()).toEqual(['SB-TEST-0001|files.lab.example', 'SB-TEST-0002|10.0.0.9|22'])
    expect(
      keys({ internal_domains: ['lab.example', 'corp.example'], admin_ports: [5985] }),
    ).toEqual(['SB-TEST-0002|10.0.0.9|5985'])
    expect(
      checkSiteSettings(variables, {
        internal_domains: ['no spaces.example'],
        admin_ports: [70000],
      }).problems,
    ).toEqual([
      {
        variable: 'internal_domains',
        message: '$internal_domains: "no spaces.example" is not a DNS name',
      },
      { variable: 'admin_ports', message: '$admin_ports: 70000 is not a port number (0–65535)' },
    ])
  })

  it('refuses defaults of the wrong kind and uses of the wrong type, with a hint', () => {
    const bad = `variable $p ports [22, 99999]
variable $d domains ["ok.example", "not a name"]
variable $q ports [22]
detection "SB-TEST-0003" version 1 {
  title { en "x" }
  class "info.test"
  severity low
  on dns where query in $q
}
`
    const { diagnostics } = compilePack([{ path: 'b.soc', text: bad }], intelListsFrom([]))
    const messages = diagnostics.map((d) => d.message)
    expect(messages).toContain('99999 is not a port number (0–65535)')
    expect(messages).toContain('"not a name" is not a "DNS name" (e.g. "corp.example")')
    expect(messages.some((m) => m.includes('$q holds ports; this value is a string'))).toBe(true)
  })
})
