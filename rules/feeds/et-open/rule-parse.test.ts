import { describe, expect, it } from 'vitest'
import { decodeContent } from './content-literal.ts'
import { parseRule, unquote } from './rule-parse.ts'

describe('parseRule', () => {
  it('splits header and options, honouring quotes and escapes', () => {
    const rule = parseRule(
      'alert http $HOME_NET any -> [1.2.3.4, 5.6.7.0/24] 80 (msg:"a \\"quoted\\"\\; b"; content:"x|3b|y"; nocase; pcre:"/^["\']?a\\;b/i"; sid:1; rev:2;)',
    )
    expect(rule.ok).toBe(true)
    if (!rule.ok) return
    expect(rule.value).toMatchObject({
      action: 'alert',
      proto: 'http',
      dst: '[1.2.3.4, 5.6.7.0/24]',
      dstPort: '80',
    })
    expect(rule.value.options).toEqual([
      { key: 'msg', value: '"a \\"quoted\\"\\; b"' },
      { key: 'content', value: '"x|3b|y"' },
      { key: 'nocase' },
      { key: 'pcre', value: '"/^["\']?a\\;b/i"' },
      { key: 'sid', value: '1' },
      { key: 'rev', value: '2' },
    ])
    expect(unquote('"a \\"quoted\\"\\; b"')).toBe('a "quoted"; b')
  })
  it.each([
    ['alert http any any -> any any', 'no option block "( … )"'],
    ['alert http any -> any any (sid:1;)', 'header has 6 fields, expected 7'],
    ['alert http any any => any any (sid:1;)', 'unknown direction "=>"'],
    ['alert http any any -> any any (; sid:1;)', 'empty option name at offset 0'],
    ['alert http any any -> any any (sid:1)', 'option "sid" not terminated by ";"'],
  ])('rejects %s', (line, reason) => {
    expect(parseRule(line)).toEqual({ ok: false, reason })
  })
})

describe('decodeContent', () => {
  it('decodes hex blocks and negation', () => {
    expect(decodeContent('"|07|version"')).toEqual({
      ok: true,
      value: { negated: false, bytes: '\x07version' },
    })
    expect(decodeContent('!"|7C 7c|a"')).toEqual({
      ok: true,
      value: { negated: true, bytes: '||a' },
    })
  })
  it('reports malformed content', () => {
    expect(decodeContent('"|0g|"')).toEqual({ ok: false, reason: 'bad hex in content: |0g|' })
    expect(decodeContent('"|07"')).toEqual({
      ok: false,
      reason: 'unterminated |hex| block in content',
    })
    expect(decodeContent('abc')).toEqual({ ok: false, reason: 'content value is not quoted' })
  })
})
