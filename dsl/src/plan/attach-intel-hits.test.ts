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

describe('createIntelMatcher on URL lists (schema README §3)', () => {
  const urls = createIntelMatcher({
    v: 1,
    intel: [
      {
        list: 'u1',
        ioc: 'url',
        entries: ['http://Evil.example:80/gate.php?id=', 'evil.example/kit/', 'ftp://x/y', '/'],
      },
      { list: 'u2', ioc: 'url', entries: ['/wp-content/x.php', 'https://evil.example/p.php'] },
    ],
    content: [],
  })
  const request = (host: string | undefined, uri: string) =>
    urls({ kind: 'http', ts: 1, ...(host === undefined ? {} : { host }), uri }).hits ?? []

  it('matches the host/path form built from host and uri, never the uri alone', () => {
    expect(request('evil.example:80', '/gate.php?id=7')).toEqual([
      { list: 'u1', field: 'uri', indicator: 'evil.example/gate.php?id=' },
    ])
    expect(request('good.example', '/gate.php?id=7')).toEqual([])
    expect(request('EVIL.example', '/kit/a/b.js?v=1')).toEqual([
      { list: 'u1', field: 'uri', indicator: 'evil.example/kit/' },
    ])
    expect(request('evil.example', '/p.php?x=1')).toEqual([
      { list: 'u2', field: 'uri', indicator: 'evil.example/p.php' },
    ])
  })

  it('matches path-only entries on any host, and the bare path / on none', () => {
    expect(request('good.example', '/wp-content/x.php')).toEqual([
      { list: 'u2', field: 'uri', indicator: '/wp-content/x.php' },
    ])
    expect(request('good.example', '/wp-content/x.phpx')).toEqual([])
    expect(request('good.example', '/')).toEqual([])
    expect(request('good.example', '/index.html')).toEqual([])
  })

  it('normalises percent-escapes of the request like the entries', () => {
    expect(request('good.example', '/wp-content/%78.php')).toEqual([
      { list: 'u2', field: 'uri', indicator: '/wp-content/x.php' },
    ])
  })
})
