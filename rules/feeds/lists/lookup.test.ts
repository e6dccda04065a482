import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { normaliseDomain } from '../normalise/domain.ts'
import { normaliseIp } from '../normalise/ip.ts'
import type { FeedManifest } from '../pipeline/feed-manifest.ts'
import { loadFeed } from '../pipeline/load-feed.ts'
import { INTEL, SHARED_DATA } from '../testing/shared-data.ts'
import { mergeIndicators } from './intel-list.ts'
import { lookupDomain, lookupIp } from './lookup.ts'

const origin = { feed: 'f', source: 's', line: 1 }

describe('lookupDomain', () => {
  const lists = mergeIndicators(
    ['example.com', 'evil.example.com', 'cc'].map((value) => ({
      ioc: 'domain' as const,
      value,
      class: 'x',
      origin,
    })),
  )
  const list = lists.get('x.domain')
  if (!list) throw new Error('no list')
  it.each([
    ['example.com', 'example.com'],
    ['a.b.example.com', 'example.com'],
    ['x.evil.example.com', 'evil.example.com'],
    ['anything.cc', 'cc'],
    ['notexample.com', undefined],
    ['com', undefined],
  ])('%s → %s', (name, entry) => {
    expect(lookupDomain(list, name)?.value).toBe(entry)
  })
})

describe('lookupIp', () => {
  const lists = mergeIndicators([
    { ioc: 'ip', value: '10.0.0.0/8', class: 'x', origin },
    { ioc: 'ip', value: '10.1.0.0/16', class: 'x', origin },
    { ioc: 'ip', value: '192.0.2.1', class: 'x', origin, port: 4041 },
    { ioc: 'ip', value: '2001:db8::/32', class: 'x', origin },
  ])
  const list = lists.get('x.ip')
  if (!list) throw new Error('no list')
  it.each([
    ['10.1.2.3', undefined, '10.1.0.0/16'],
    ['10.200.0.1', undefined, '10.0.0.0/8'],
    ['192.0.2.1', 4041, '192.0.2.1'],
    ['192.0.2.1', 80, undefined],
    ['192.0.2.1', undefined, '192.0.2.1'],
    ['2001:db8:1::5', undefined, '2001:db8::/32'],
    ['11.0.0.1', undefined, undefined],
  ])('%s port %s → %s', (address, port, entry) => {
    expect(lookupIp(list, address, port)?.value).toBe(entry)
  })
})

// The dev set's EXPECTED.tsv lists IOC hits that a correct list matcher must produce against
// intel/ (column derived_ioc_hits). Our lists must contain each, from the named feed.
describe('IOC hits of shared/data/EXPECTED.tsv', { timeout: 60_000 }, () => {
  const manifests = [
    'maltrail-malware',
    'maltrail-suspicious',
    'abusech-sslbl-certificates',
    'abusech-suricata-rules',
  ].map(
    (id): FeedManifest =>
      JSON.parse(readFileSync(join(import.meta.dirname, '../manifests', `${id}.json`), 'utf8')),
  )
  const indicators = manifests.flatMap((m) => {
    const feed = loadFeed(m, { intel: INTEL, repo: '' }, Date.now())
    if ('error' in feed) throw new Error(feed.error)
    return feed.indicators
  })
  const lists = [...mergeIndicators(indicators).values()]
  const hits = readFileSync(`${SHARED_DATA}/EXPECTED.tsv`, 'utf8')
    .split('\n')
    .slice(1)
    .flatMap((row) => (row.split('\t')[14] ?? '-').split(';'))
    .map((hit) => hit.trim())
    .filter((hit) => hit !== '' && hit !== '-')

  it('has the hits to check', () => {
    expect(hits.length).toBe(8)
  })

  it.each(hits)('%s', (hit) => {
    const m = /^(name|ip|cert-sha1) (\S+) => (.*)$/.exec(hit)
    if (!m) throw new Error(`unknown hit ${hit}`)
    const [, kind, value = '', expected = ''] = m
    if (kind === 'name') {
      const name = normaliseDomain(value)
      const found = lists
        .filter((l) => l.ioc === 'domain')
        .map((l) => lookupDomain(l, name.ok ? name.value : value))
        .find((e) => e)
      const trail = /^maltrail:([^(]+)/.exec(expected)?.[1]
      expect(found?.origins.some((o) => `${o.source}` === `${trail}.txt`)).toBe(true)
      const parent = /\(parent:([^)]+)\)/.exec(expected)?.[1]
      if (parent) expect(found?.value).toBe(parent)
    } else if (kind === 'ip') {
      const [address = '', port] = value.split(':')
      const ip = normaliseIp(address)
      const found = lists
        .filter((l) => l.ioc === 'ip')
        .map((l) => lookupIp(l, ip.ok ? ip.value : address, Number(port)))
        .find((e) => e)
      expect(found?.origins.some((o) => `maltrail:${o.source}` === `${expected}.txt`)).toBe(true)
    } else {
      const found = lists
        .filter((l) => l.ioc === 'hash')
        .map((l) => l.entries.get(value))
        .find((e) => e)
      expect(found && [...found.feeds].sort()).toEqual([
        'abusech-sslbl-certificates',
        'abusech-suricata-rules',
      ])
      expect(found?.origins.map((o) => o.label)).toContain('AsyncRAT C&C')
    }
  })
})
