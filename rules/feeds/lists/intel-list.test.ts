import { describe, expect, it } from 'vitest'
import type { Indicator } from '../model/indicator.ts'
import { mergeIndicators, sortedEntries } from './intel-list.ts'

function indicator(feed: string, value: string, extra: Partial<Indicator> = {}): Indicator {
  return {
    ioc: 'ip',
    value,
    class: 'malware.c2',
    origin: { feed, source: `${feed}.txt`, line: 1 },
    ...extra,
  }
}

describe('mergeIndicators', () => {
  it('merges one value listed by several feeds into one entry with all provenance', () => {
    const lists = mergeIndicators([
      indicator('feodo', '192.0.2.1', { port: 443 }),
      indicator('threatfox', '192.0.2.1'),
      indicator('feodo', '192.0.2.2', { port: 8080 }),
      indicator('feodo', '192.0.2.2', { port: 443 }),
      indicator('maltrail', 'evil.example', { ioc: 'domain' }),
      indicator('tor', '192.0.2.1', { class: 'suspicious.tor' }),
    ])
    expect([...lists.keys()].sort()).toEqual([
      'malware.c2.domain',
      'malware.c2.ip',
      'suspicious.tor.ip',
    ])
    const c2 = lists.get('malware.c2.ip')
    const first = c2?.entries.get('192.0.2.1')
    expect(first && [...first.feeds]).toEqual(['feodo', 'threatfox'])
    expect(first?.anyPort).toBe(true)
    const second = c2?.entries.get('192.0.2.2')
    expect(second?.ports && [...second.ports]).toEqual([8080, 443])
    expect(first?.ports && [...first.ports]).toEqual([443])
    expect(second?.anyPort).toBe(false)
    expect(second?.origins.length).toBe(2)
  })
  it('sorts entries for reproducible output', () => {
    const lists = mergeIndicators(
      ['b.example', 'a.example', 'c.example'].map((v) => indicator('f', v, { ioc: 'domain' })),
    )
    const list = lists.get('malware.c2.domain')
    expect(list && sortedEntries(list).map((e) => e.value)).toEqual([
      'a.example',
      'b.example',
      'c.example',
    ])
  })
})
