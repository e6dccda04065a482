import { describe, expect, it } from 'vitest'
import { applyAllowlist } from './allowlist.ts'
import { mergeIndicators } from './intel-list.ts'

const origin = { feed: 'f', source: 's', line: 1 }
// The IPv6 resolver is written non-canonically on purpose: the allowlist is normalised too.
const allowlist = {
  domains: ['www.google.com', 'microsoft.com'],
  ips: ['8.8.8.8', '2001:4860:4860:0:0:0:0:8888'],
}

describe('applyAllowlist', () => {
  const lists = mergeIndicators([
    ...['google.com', 'www.google.com', 'evil.microsoft.com', 'microsoft.com', 'bad.example'].map(
      (value) => ({ ioc: 'domain' as const, value, class: 'malware.c2', origin }),
    ),
    ...['8.8.8.8', '8.8.8.0/24', '8.8.4.4', '2001:4860::/32', '2001:4860:4860::8888'].map(
      (value) => ({
        ioc: 'ip' as const,
        value,
        class: 'malware.c2',
        origin,
      }),
    ),
    { ioc: 'domain' as const, value: 'microsoft.com', class: 'info.pua', origin },
  ])
  it('removes equal and parent domains, keeps deeper subdomains', () => {
    const list = lists.get('malware.c2.domain')
    if (!list) throw new Error('no list')
    const { list: kept, removed } = applyAllowlist(list, allowlist)
    expect([...kept.entries.keys()]).toEqual(['evil.microsoft.com', 'bad.example'])
    expect(removed).toEqual([
      { value: 'google.com', covers: 'www.google.com', feeds: ['f'] },
      { value: 'www.google.com', covers: 'www.google.com', feeds: ['f'] },
      { value: 'microsoft.com', covers: 'microsoft.com', feeds: ['f'] },
    ])
  })
  it('removes addresses and networks containing an allowlisted address', () => {
    const list = lists.get('malware.c2.ip')
    if (!list) throw new Error('no list')
    const { list: kept, removed } = applyAllowlist(list, allowlist)
    expect([...kept.entries.keys()]).toEqual(['8.8.4.4'])
    expect(removed.map((r) => r.value)).toEqual([
      '8.8.8.8',
      '8.8.8.0/24',
      '2001:4860::/32',
      '2001:4860:4860::8888',
    ])
  })
  it('leaves info lists alone (context may name anything)', () => {
    const list = lists.get('info.pua.domain')
    if (!list) throw new Error('no list')
    expect(applyAllowlist(list, allowlist).removed).toEqual([])
  })
})
