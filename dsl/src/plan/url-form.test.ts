import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normaliseUrlEntry, requestUrl, urlLookupKeys } from './url-form.ts'

describe('normaliseUrlEntry (match plan §3 form)', () => {
  it.each([
    ['evil.example/gate.php?id=1', 'evil.example/gate.php?id=1'],
    ['HTTP://Evil.EXAMPLE:80/Gate.php#frag', 'evil.example/Gate.php'],
    ['https://evil.example:443/a/', 'evil.example/a/'],
    ['https://evil.example:80/a', 'evil.example/a'],
    ['http://evil.example:8080', 'evil.example:8080/'],
    ['evil.example?x=1', 'evil.example/?x=1'],
    ['http://user:pw@evil.example/x', 'evil.example/x'],
    ['http://[2001:db8::1]:80/x', '[2001:db8::1]/x'],
    ['/gate.php', '/gate.php'],
    ['/%7euser/%2f', '/~user/%2F'],
  ])('%s → %s', (entry, expected) => {
    expect(normaliseUrlEntry(entry)).toBe(expected)
  })
  it.each(['ftp://evil.example/x', '', '#only', 'http:///x', '/', '/#x'])('refuses %j', (entry) => {
    expect(normaliseUrlEntry(entry)).toBeUndefined()
  })
})

describe('requestUrl', () => {
  it.each([
    ['evil.example:80', '/gate.php?id=1', 'evil.example/gate.php?id=1'],
    ['evil.example:8080', '/a#b', 'evil.example:8080/a'],
    [undefined, '/a', '/a'],
    ['proxy', 'HTTP://Evil.example/x', 'evil.example/x'],
    ['h', '*', undefined],
    ['Upper.Example', '/P%7e', 'upper.example/P~'],
  ])('%s %s → %s', (host, uri, expected) => {
    expect(requestUrl(host, uri)).toBe(expected)
  })

  it('agrees with the entry form of the same URL', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-zA-Z0-9.-]{1,20}$/),
        fc.option(fc.oneof(fc.constant(80), fc.integer({ min: 1, max: 65535 })), {
          nil: undefined,
        }),
        fc.stringMatching(/^(\/[a-zA-Z0-9._~%!$&'()*+,;=:@-]{0,8}){1,4}(\?[a-z0-9=&]{0,10})?$/),
        (host, port, path) => {
          const authority = port === undefined ? host : `${host}:${port}`
          const fromEntry = normaliseUrlEntry(`http://${authority}${path}`)
          expect(requestUrl(authority.toLowerCase(), path)).toBe(fromEntry)
          if (fromEntry !== undefined) expect(normaliseUrlEntry(fromEntry)).toBe(fromEntry)
        },
      ),
    )
  })
})

describe('urlLookupKeys', () => {
  it('lists the exact form, the form without query, query and directory prefixes, then the same without host', () => {
    expect(urlLookupKeys('evil.example/kit/gate.php?id=7&x=1')).toEqual([
      'evil.example/kit/gate.php?id=7&x=1',
      'evil.example/kit/gate.php?id=7&x=',
      'evil.example/kit/gate.php?id=7&',
      'evil.example/kit/gate.php?id=',
      'evil.example/kit/gate.php?',
      'evil.example/kit/gate.php',
      'evil.example/kit/',
      'evil.example/',
      '/kit/gate.php?id=7&x=1',
      '/kit/gate.php?id=7&x=',
      '/kit/gate.php?id=7&',
      '/kit/gate.php?id=',
      '/kit/gate.php?',
      '/kit/gate.php',
      '/kit/',
    ])
  })
  it('never offers the bare path /', () => {
    expect(urlLookupKeys('a.example/')).toEqual(['a.example/'])
    expect(urlLookupKeys('/')).toEqual([])
    expect(urlLookupKeys('/?q=1')).toEqual(['/?q=1', '/?q=', '/?'])
  })
})
