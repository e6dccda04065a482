import { describe, expect, it } from 'vitest'
import { createIntelMatcher } from './attach-intel-hits.ts'

const attach = createIntelMatcher({
  v: 1,
  intel: [
    { list: 'onion', ioc: 'domain', entries: ['onion.to', 'badsite.onion.to'] },
    { list: 'c2', ioc: 'ip', entries: ['198.51.100.0/24', '198.51.100.7', 'junk'] },
  ],
  content: [],
})

describe('createIntelMatcher (reference of the sensor matcher)', () => {
  it('matches a domain and its subdomains, case-insensitively, naming the longest entry', () => {
    expect(attach({ kind: 'dns', ts: 1, query: 'A.BadSite.Onion.To' }).hits).toEqual([
      { list: 'onion', field: 'query', indicator: 'badsite.onion.to' },
    ])
    expect(attach({ kind: 'dns', ts: 1, query: 'x.onion.to' }).hits).toEqual([
      { list: 'onion', field: 'query', indicator: 'onion.to' },
    ])
    expect(attach({ kind: 'dns', ts: 1, query: 'onion.to.example' }).hits).toBeUndefined()
  })

  it('matches addresses against prefixes on every ip field, the longest prefix first', () => {
    const event = attach({
      kind: 'dns',
      ts: 1,
      dst: { ip: '198.51.100.7' },
      answers: ['198.51.100.9', 'cname.example'],
    })
    expect(event.hits).toEqual([
      { list: 'c2', field: 'dst.ip', indicator: '198.51.100.7' },
      { list: 'c2', field: 'answers', indicator: '198.51.100.0/24' },
    ])
  })

  it('returns the event itself when nothing hits', () => {
    const event = { kind: 'dns', ts: 1, query: 'clean.example' }
    expect(attach(event)).toBe(event)
  })
})
