import { describe, expect, it } from 'vitest'
import { headerIndicators, literalIndicator, urlIndicator } from './rule-indicators.ts'
import { parseRule } from './rule-parse.ts'

const pattern = (literal: string, field: string, extra = {}) => ({
  literal,
  nocase: true,
  field,
  ...extra,
})

describe('literalIndicator', () => {
  it.each([
    [
      pattern('.evil.example', 'dns.query', { endsWith: true }),
      {},
      true,
      { ioc: 'domain', value: 'evil.example' },
      undefined,
    ],
    [
      pattern('evil.example', 'tls.sni'),
      { 'tls.sni': { min: 12, max: 12 } },
      false,
      { ioc: 'domain', value: 'evil.example' },
      'exact name widened to its subdomains',
    ],
    [
      pattern('evil.example', 'http.host', { endsWith: true }),
      {},
      false,
      { ioc: 'domain', value: 'evil.example' },
      'suffix narrowed to whole labels',
    ],
  ])('%j', (p, sizes, dotprefixed, indicator, note) => {
    const expected = note
      ? { kind: 'intel', indicators: [indicator], note }
      : { kind: 'intel', indicators: [indicator] }
    expect(literalIndicator(p, sizes, dotprefixed)).toEqual(expected)
  })
  it.each([
    ['unanchored', pattern('evil.example', 'dns.query'), {}],
    ['negated', pattern('.evil.example', 'dns.query', { endsWith: true, negated: true }), {}],
    ['positioned', pattern('evil.example', 'dns.query', { endsWith: true, distance: 2 }), {}],
    ['not a name', pattern('duckdns', 'dns.query', { endsWith: true }), {}],
    ['other field', pattern('evil.example', 'http.uri', { endsWith: true }), {}],
  ])('refuses %s', (_, p, sizes) => {
    expect(literalIndicator(p, sizes, false)).toBeUndefined()
  })
})

describe('urlIndicator', () => {
  it('needs both host and URI pinned exactly', () => {
    const host = pattern('evil.example', 'http.host')
    const uri = pattern('/gate.php', 'http.uri', { startsWith: true, endsWith: true })
    const sizes = { 'http.host': { min: 12, max: 12 } }
    expect(urlIndicator([host, uri], sizes)).toEqual({
      kind: 'intel',
      indicators: [{ ioc: 'url', value: 'evil.example/gate.php' }],
    })
    expect(urlIndicator([host, { ...uri, endsWith: undefined }], sizes)).toBeUndefined()
  })
})

describe('headerIndicators', () => {
  const header = (line: string) => {
    const parsed = parseRule(line)
    if (!parsed.ok) throw new Error(parsed.reason)
    return headerIndicators(parsed.value)
  }
  it('takes the literal side, with a single port', () => {
    expect(header('alert tcp $HOME_NET any -> [192.0.2.1,192.0.2.0/24] 443 (sid:1;)')).toEqual({
      kind: 'intel',
      indicators: [
        { ioc: 'ip', value: '192.0.2.1', port: 443 },
        { ioc: 'ip', value: '192.0.2.0/24', port: 443 },
      ],
    })
    expect(header('alert tcp $HOME_NET any -> $EXTERNAL_NET any (sid:1;)')).toEqual({
      kind: 'untranslatable',
      reason: 'no content and no literal addresses',
    })
  })
})
