import { describe, expect, it } from 'vitest'
import { mergeIndicators } from './intel-list.ts'
import { applySanity } from './list-sanity.ts'

const origin = { feed: 'f', source: 's', line: 1 }

describe('applySanity', () => {
  const lists = mergeIndicators([
    ...[
      '10.1.2.3',
      '192.168.0.0/24',
      '100.64.1.1',
      'fe80::1',
      '8.0.0.0/8',
      '2001:db8::/16',
      '198.51.100.0/24',
      '203.0.113.5',
      '2001:db8::/48',
    ].map((value) => ({ ioc: 'ip' as const, value, class: 'malware.c2', origin })),
    ...['onion', 'xyz', 'evil.example'].map((value) => ({
      ioc: 'domain' as const,
      value,
      class: 'suspicious.tor',
      origin,
    })),
    { ioc: 'domain' as const, value: 'tk', class: 'info.suspicious-domain', origin },
    ...['/s.txt', '/cry32', '/?u=7mkpd0d', '/rope.pyz', 'a.example/x'].map((value) => ({
      ioc: 'url' as const,
      value,
      class: 'malware.c2',
      origin,
    })),
    { ioc: 'url' as const, value: '/a.php', class: 'info.web-shells', origin },
  ])

  it('removes short path-only URLs (any host) from threat lists but not from info lists', () => {
    const urls = lists.get('malware.c2.url')
    const shells = lists.get('info.web-shells.url')
    if (!urls || !shells) throw new Error('no list')
    const { list: kept, removed } = applySanity(urls)
    expect(removed.map((r) => r.value)).toEqual(['/s.txt', '/cry32'])
    expect(removed[0]?.reason).toBe('a path on any host shorter than 8 characters')
    expect([...kept.entries.keys()]).toEqual(['/?u=7mkpd0d', '/rope.pyz', 'a.example/x'])
    expect(applySanity(shells).removed).toEqual([])
  })

  it('removes internal, reserved and too-wide addresses from threat lists', () => {
    const list = lists.get('malware.c2.ip')
    if (!list) throw new Error('no list')
    const { list: kept, removed } = applySanity(list)
    expect([...kept.entries.keys()]).toEqual(['198.51.100.0/24', '203.0.113.5', '2001:db8::/48'])
    expect(removed.map((r) => [r.value, r.reason])).toEqual([
      ['10.1.2.3', 'internal or reserved address (10.0.0.0/8)'],
      ['192.168.0.0/24', 'internal or reserved address (192.168.0.0/16)'],
      ['100.64.1.1', 'internal or reserved address (100.64.0.0/10)'],
      ['fe80::1', 'internal or reserved address (fe80::/10)'],
      ['8.0.0.0/8', 'network wider than /16'],
      ['2001:db8::/16', 'network wider than /32'],
    ])
  })

  it('removes whole top-level domains from threat lists but not from info lists', () => {
    const tor = lists.get('suspicious.tor.domain')
    const tlds = lists.get('info.suspicious-domain.domain')
    if (!tor || !tlds) throw new Error('no list')
    const { list: kept, removed } = applySanity(tor)
    expect(removed.map((r) => [r.value, r.reason])).toEqual([['xyz', 'a whole top-level domain']])
    expect([...kept.entries.keys()]).toEqual(['onion', 'evil.example']) // RFC 7686 special use
    expect(applySanity(tlds).removed).toEqual([])
  })
})
