import { describe, expect, it } from 'vitest'
import type { Indicator } from '../model/indicator.ts'
import { buildPack, contributionsOf } from './build-pack.ts'
import type { FeedManifest } from './feed-manifest.ts'
import type { LoadedFeed } from './load-feed.ts'

const now = Date.parse('2026-11-27T09:00:00Z')

function manifest(id: string, upstream: string, spdx: string, shippable = true): FeedManifest {
  return {
    id,
    title: id,
    upstream,
    format: 'line-list',
    source: { root: 'intel', paths: [`${id}.txt`], url: `https://example.org/${id}` },
    licence: { spdx, text: spdx, shippable, reason: 'test' },
    updateIntervalHours: 24,
  }
}

function feed(
  m: FeedManifest,
  indicators: Omit<Indicator, 'origin'>[],
  dataTime = now,
): LoadedFeed {
  return {
    manifest: m,
    indicators: indicators.map((i, n) => ({
      ...i,
      origin: { feed: m.id, source: `${m.id}.txt`, line: n + 1 },
    })),
    errors: [{ feed: m.id, source: `${m.id}.txt`, line: 99, text: 'x', reason: 'bad' }],
    signatures: [],
    untranslated: [],
    unlicensed: [],
    notes: {},
    skipped: {},
    intelRules: 0,
    files: 1,
    dataTime,
    dataTimeFrom: 'feed header',
    loadMs: 1,
  }
}

const feodo = feed(manifest('feodo', 'abuse.ch', 'CC0-1.0'), [
  { ioc: 'ip', value: '192.0.2.1', class: 'malware.c2', port: 443 },
  { ioc: 'ip', value: '192.0.2.1', class: 'malware.c2', port: 8080 },
])
const threatfox = feed(manifest('threatfox', 'abuse.ch', 'CC0-1.0'), [
  { ioc: 'ip', value: '192.0.2.1', class: 'malware.c2' },
  { ioc: 'ip', value: '198.51.100.1', class: 'malware.c2' },
  { ioc: 'ip', value: '198.51.100.2', class: 'malware.c2' },
])
const maltrail = feed(manifest('maltrail', 'maltrail', 'MIT'), [
  { ioc: 'ip', value: '198.51.100.2', class: 'malware.c2' },
  { ioc: 'domain', value: 'evil.example', class: 'malware.c2' },
])
const disconnect = feed(manifest('disconnect', 'disconnect', 'CC-BY-NC-SA-4.0', false), [
  { ioc: 'domain', value: 'fp.example', class: 'site.fingerprint' },
])
const policy = {
  maxShrink: 0.5,
  agreement: { 'malware.c2.ip': { minSources: 2, noisyFeeds: ['threatfox'] } },
}

describe('buildPack', () => {
  const pack = buildPack({ feeds: [feodo, threatfox, maltrail, disconnect], policy, now })

  it('writes merged lists with provenance, ports and licences, and ships only shippable feeds', () => {
    expect(pack.lists.map((l) => l.list)).toEqual([
      'info.unconfirmed.malware.c2.ip',
      'malware.c2.domain',
      'malware.c2.ip',
    ])
    expect(pack.lists.find((l) => l.list === 'malware.c2.ip')).toEqual({
      list: 'malware.c2.ip',
      ioc: 'ip',
      class: 'malware.c2',
      entries: ['192.0.2.1', '198.51.100.2'],
      provenance: {
        '192.0.2.1': ['feodo', 'threatfox'],
        '198.51.100.2': ['maltrail', 'threatfox'],
      },
      licence: ['CC0-1.0', 'MIT'],
    })
    expect(pack.lists.find((l) => l.list === 'info.unconfirmed.malware.c2.ip')?.entries).toEqual([
      '198.51.100.1',
    ])
    expect(pack.heldBack).toEqual({
      'malware.c2.ip': [{ value: '198.51.100.1', feeds: ['threatfox'] }],
    })
    expect(pack.feeds.find((f) => f.feed === 'disconnect')).toMatchObject({
      shippable: false,
      included: false,
    })
  })

  it('gives every entry its feed, file and line on request', () => {
    const withOrigins = buildPack({ feeds: [feodo, threatfox], policy, now, withOrigins: true })
    expect(withOrigins.origins?.['malware.c2.ip']).toEqual({
      '192.0.2.1': ['feodo:feodo.txt:1', 'feodo:feodo.txt:2', 'threatfox:threatfox.txt:1'],
    })
    expect(withOrigins.origins?.['info.unconfirmed.malware.c2.ip']).toEqual({
      '198.51.100.1': ['threatfox:threatfox.txt:2'],
      '198.51.100.2': ['threatfox:threatfox.txt:3'],
    })
    expect(pack.origins).toBeUndefined()
  })

  it('counts what each feed contributes to each list', () => {
    expect(contributionsOf(pack.lists)).toEqual({
      'info.unconfirmed.malware.c2.ip': { threatfox: 1 },
      'malware.c2.domain': { maltrail: 1 },
      'malware.c2.ip': { feodo: 1, threatfox: 2, maltrail: 1 },
    })
  })

  it('keeps ports when every feed lists an address only with ports', () => {
    const only = buildPack({ feeds: [feodo], policy, now })
    expect(only.lists[0]?.ports).toEqual({ '192.0.2.1': [443, 8080] })
  })

  it('includes unshippable feeds only for evaluation builds', () => {
    const evaluation = buildPack({
      feeds: [feodo, disconnect],
      policy,
      now,
      includeUnshippable: true,
    })
    expect(evaluation.lists.map((l) => l.list)).toContain('site.fingerprint.domain')
  })

  it('refuses a sharp shrink against the previous build and reports stale and failed feeds', () => {
    const previousCounts = new Map([['malware.c2.ip', 10]])
    const shrunk = buildPack({
      feeds: [
        feodo,
        threatfox,
        maltrail,
        { manifest: manifest('tor', 'tor', 'MIT'), error: 'ENOENT: tor.txt' },
      ],
      policy,
      now,
      previousCounts,
    })
    expect(shrunk.refusals.map((r) => [r.list, r.previous, r.next])).toEqual([
      ['malware.c2.ip', 10, 2],
    ])
    expect(shrunk.health.map((h) => [h.feed, h.kind])).toEqual([['tor', 'failing']])
    const accepted = buildPack({
      feeds: [feodo],
      policy,
      now,
      previousCounts,
      acceptShrink: ['malware.c2.ip'],
    })
    expect(accepted.refusals).toEqual([])
    const stale = buildPack({
      feeds: [feed(manifest('old', 'x', 'MIT'), [], now - 30 * 24 * 3_600_000)],
      policy,
      now,
    })
    expect(stale.health.map((h) => [h.feed, h.kind, h.class])).toEqual([
      ['old', 'stale', 'intel.feed'],
    ])
  })

  it('removes entries that can only be mistakes and reports them', () => {
    const internal = feed(manifest('internal', 'internal', 'MIT'), [
      { ioc: 'ip', value: '10.0.0.1', class: 'malware.c2' },
    ])
    const result = buildPack({ feeds: [internal, maltrail], policy, now })
    expect(result.lists.find((l) => l.list === 'malware.c2.ip')?.entries).toEqual(['198.51.100.2'])
    expect(result.removedBySanity).toEqual({
      'malware.c2.ip': [
        {
          value: '10.0.0.1',
          reason: 'internal or reserved address (10.0.0.0/8)',
          feeds: ['internal'],
        },
      ],
    })
  })

  it('removes allowlisted infrastructure from threat lists and reports it', () => {
    const withResolver = feed(manifest('noisy', 'noisy', 'MIT'), [
      { ioc: 'ip', value: '8.8.8.8', class: 'malware.c2' },
    ])
    const result = buildPack({
      feeds: [withResolver, maltrail],
      policy,
      now,
      allowlist: { domains: ['evil.example'], ips: ['8.8.8.8'] },
    })
    expect(result.lists.map((l) => [l.list, l.entries])).toEqual([
      ['malware.c2.domain', []],
      ['malware.c2.ip', ['198.51.100.2']],
    ])
    expect(result.removedByAllowlist).toEqual({
      'malware.c2.domain': [{ value: 'evil.example', covers: 'evil.example', feeds: ['maltrail'] }],
      'malware.c2.ip': [{ value: '8.8.8.8', covers: '8.8.8.8', feeds: ['noisy'] }],
    })
  })

  it('refuses to write a list whose class is not a socbox class', () => {
    const odd = feed(manifest('odd', 'odd', 'MIT'), [
      { ioc: 'domain', value: 'x.example', class: 'malware.cnc' },
    ])
    const result = buildPack({ feeds: [odd, maltrail], policy, now })
    expect(result.lists.map((l) => l.list)).toEqual(['malware.c2.domain', 'malware.c2.ip'])
    expect(result.invalidLists).toEqual([
      {
        list: 'malware.cnc.domain',
        entries: 1,
        reason: 'class malware.cnc is neither a threat class nor info.*',
      },
    ])
  })

  it('reports rejected lines per feed by reason', () => {
    expect(pack.feeds.find((f) => f.feed === 'feodo')).toMatchObject({
      indicators: 2,
      rejectedLines: 1,
      rejectedByReason: { bad: 1 },
    })
  })
})
