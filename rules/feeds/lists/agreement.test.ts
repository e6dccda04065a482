import { describe, expect, it } from 'vitest'
import type { Indicator } from '../model/indicator.ts'
import { applyAgreement, buildCorroboration } from './agreement.ts'
import { mergeIndicators } from './intel-list.ts'

const UPSTREAM: Record<string, string> = {
  threatfox: 'abuse.ch',
  feodo: 'abuse.ch',
  'et-open': 'proofpoint-et',
  'abusech-rules': 'abuse.ch',
  maltrail: 'maltrail',
  tor: 'tor',
}

function ip(feed: string, value: string, cls = 'malware.c2'): Indicator {
  return { ioc: 'ip', value, class: cls, origin: { feed, source: 's', line: 1 } }
}

describe('applyAgreement', () => {
  const indicators = [
    ip('threatfox', '192.0.2.1'), // only a noisy feed: held back
    ip('threatfox', '192.0.2.2'), // corroborated by ET in another class
    ip('et-open', '192.0.2.2', 'info.poor-reputation'),
    ip('threatfox', '192.0.2.3'), // "corroborated" only by the same upstream: held back
    ip('abusech-rules', '192.0.2.3', 'info.poor-reputation'),
    ip('threatfox', '192.0.2.4'), // listed beside a trusted feed in the same list: kept
    ip('feodo', '192.0.2.4'),
    ip('threatfox', '198.51.100.7'), // inside a network listed by Maltrail
    ip('maltrail', '198.51.100.0/24', 'info.scanner-range'),
    ip('feodo', '203.0.113.9'), // a trusted feed alone is enough
    ip('threatfox', '2001:db8::1'),
    ip('tor', '2001:db8::/32', 'suspicious.tor'),
    ip('threatfox', '203.0.113.0/24'), // networks are never held back
  ]
  const lists = mergeIndicators(indicators)
  const corroboration = buildCorroboration(indicators, (feed) => UPSTREAM[feed] ?? feed)
  const policy = { minSources: 2, noisyFeeds: ['threatfox'] }

  it('keeps corroborated and trusted addresses, holds back the rest', () => {
    const c2 = lists.get('malware.c2.ip')
    if (!c2) throw new Error('no list')
    const { list, heldBack } = applyAgreement(c2, policy, corroboration)
    expect([...list.entries.keys()].sort()).toEqual([
      '192.0.2.2',
      '192.0.2.4',
      '198.51.100.7',
      '2001:db8::1',
      '203.0.113.0/24',
      '203.0.113.9',
    ])
    expect(heldBack).toEqual([
      { value: '192.0.2.1', feeds: ['threatfox'] },
      { value: '192.0.2.3', feeds: ['threatfox'] },
    ])
  })

  it('leaves non-IP lists alone and can require more sources', () => {
    const domains = mergeIndicators([
      {
        ioc: 'domain',
        value: 'a.example',
        class: 'malware.c2',
        origin: { feed: 'threatfox', source: 's', line: 1 },
      },
    ])
    const list = domains.get('malware.c2.domain')
    if (!list) throw new Error('no list')
    expect(applyAgreement(list, policy, corroboration).heldBack).toEqual([])
    const c2 = lists.get('malware.c2.ip')
    if (!c2) throw new Error('no list')
    const strict = applyAgreement(c2, { minSources: 3, noisyFeeds: ['threatfox'] }, corroboration)
    expect(strict.heldBack.map((h) => h.value).sort()).toEqual([
      '192.0.2.1',
      '192.0.2.2',
      '192.0.2.3',
      '198.51.100.7',
      '2001:db8::1',
    ])
  })
})
