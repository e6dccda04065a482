import { describe, expect, it } from 'vitest'
import { compileRules } from '../pack/compile-rules.ts'
import { intelListsFrom } from '../pack/intel-list.ts'

const lists = intelListsFrom([
  { id: 'demo.onion', ioc: 'domain', entries: ['onion.to'] },
  { id: 'demo.ips', ioc: 'ip', entries: ['198.51.100.7'] },
])

// A valid rule with one line swapped for `line`, so each case shows one mistake and where it lands.
function check(line: string, status = 'experimental') {
  const text = `detection "SB-TEST-0001" version 1 {
  title { en "t {query}" ja "t" }
  class "suspicious.tor"
  severity medium
  status ${status}
  ${line}
}`
  return compileRules([{ path: 'r.soc', text }], lists).diagnostics.map(
    (d) => `${d.line}:${d.column} ${d.message}${d.hint ? ` (${d.hint})` : ''}`,
  )
}

describe('checkDetection', () => {
  it('accepts a well-typed rule', () => {
    expect(
      check('on dns where query in intel("demo.onion") and src.port > 1024 and qtype in [A, AAAA]'),
    ).toEqual([])
  })

  it.each([
    ['on dns where qeury == "a"', '6:16 dns events have no field qeury (did you mean query?)'],
    [
      'on dns where src.port == "53"',
      '6:16 cannot compare a number with a string (both sides of a comparison need the same type)',
    ],
    [
      'on dns where query > 3',
      '6:16 cannot compare a string with a number (both sides of a comparison need the same type)',
    ],
    [
      'on dns where src.internal < true',
      '6:16 < needs numbers or strings, not bool (use == or != for this type)',
    ],
    [
      'on dns where answers == "1.2.3.4"',
      '6:16 answers is a list; compare its elements with in (write field in ["a", "b"])',
    ],
    ['on dns where proto in [udp, icmp]', '6:31 proto is never "icmp" (its values are udp, tcp)'],
    [
      'on dns where query in intel("nope")',
      '6:31 unknown intel list "nope" (list ids come from the manifests in rules/intel/)',
    ],
    [
      'on dns where query in intel("demo.ips")',
      '6:31 demo.ips holds ip indicators but query is matched as domain',
    ],
    [
      'on dns where qtype in intel("demo.onion")',
      '6:16 qtype is not matched against intel lists (intel lists match addresses, domains and hashes)',
    ],
    [
      'on dns where query in lists',
      '6:25 unknown set lists (write a list [..], cidr("…") or intel("list id"))',
    ],
    [
      'on dns where query',
      '6:16 a condition must be true or false, but this is a string (compare it, e.g. field == "value")',
    ],
    ['on dns where lower(query, 1) == "a"', '6:16 lower takes 1 argument(s), got 2'],
    ['on dns where nosuch(query)', expect.stringMatching(/^6:16 unknown function nosuch/)],
    ['on dnss', '6:6 unknown event kind dnss (did you mean dns?)'],
    [
      'on dns where query matches /x(a+)+$/',
      '6:32 nested quantifier: a repeated group that itself repeats can take exponential time (rewrite (a+)+ as a+, or bound the inner repeat, e.g. (a{1,10})+)',
    ],
    ['on dns where query matches /a/g', expect.stringMatching(/^6:33 regex flag g is not allowed/)],
    ['on dns where ttl matches /1/', '6:16 matches needs a string, not a number'],
    [
      'on dns where src.ip in [10.0.0.0/8, "nope"]',
      '6:39 "nope" is not an IP address or prefix (write 10.0.0.0/8, 192.0.2.1 or "fc00::/7")',
    ],
    ['on dns where query in cidr("10.0.0.0/8")', '6:16 cidr needs an IP address, not a string'],
    ['on dns emit key [src.pi]', '6:20 dns events have no field src.pi'],
  ])('%s', (line, message) => {
    expect(check(line)).toEqual([message])
  })

  it('reports metadata mistakes at their token', () => {
    const text = `detection "tor-1" version 0 {
  title { en "x" de "y" }
  class "malware.c3"
  severity urgent
  status final
  attack [T109, T1090.003, T1090.003]
  references ["not a url"]
  on intel
  title { en "again" }
}`
    const messages = compileRules([{ path: 'r.soc', text }], undefined).diagnostics.map(
      (d) => `${d.line}:${d.column} ${d.message}`,
    )
    expect(messages).toEqual([
      '1:11 rule id "tor-1" is not of the form SB-AREA-0001',
      '1:27 version must be a whole number from 1',
      '9:3 title is given twice',
      '5:10 unknown status final',
      '3:9 unknown class "malware.c3"',
      '4:12 unknown severity urgent',
      '6:11 "T109" is not an ATT&CK technique id',
      '6:28 T1090.003 is listed twice',
      '7:15 a reference must be an http(s) URL',
      '2:18 unknown language de',
    ])
  })

  it('requires both languages, explain and actions for a stable rule', () => {
    const english =
      'detection "SB-T-0001" version 1 { title { en "x" } class "info.x" severity info status stable on dns }'
    expect(
      compileRules([{ path: 'r.soc', text: english }], lists).diagnostics.map((d) => d.message),
    ).toContain('a stable rule needs title in English and Japanese')
    expect(check('on dns', 'stable')).toEqual([
      '1:11 rule SB-TEST-0001 has no explain (add explain { en "…" ja "…" })',
      '1:11 a stable rule needs actions in English and Japanese (add actions { en ["…"] ja ["…"] })',
      '1:11 a stable rule needs a test that fires (expect 1 or more)',
      '1:11 a stable rule needs a test that stays quiet (expect 0)',
    ])
  })

  it('falls back to the other language below stable', () => {
    const { rules } = compileRules(
      [
        {
          path: 'r.soc',
          text: 'detection "SB-T-0001" version 1 { title { en "only en" } class "info.x" severity info on dns }',
        },
      ],
      lists,
    )
    expect(rules[0]?.ir.title).toEqual({ en: ['only en'], ja: ['only en'] })
  })

  it('checks the fields named in text', () => {
    expect(check('on dns explain { en "from {src.ip} to {dst.prot}" }')).toEqual([
      '6:41 dns events have no field dst.prot (did you mean dst.port?)',
    ])
    expect(check('on dns explain { en "a { } d" }')).toEqual([
      '6:26 a { in text must hold a field, e.g. {src.ip} (write {{ for a brace)',
    ])
  })

  it('types functions in text and rejects what is not an operand', () => {
    expect(check('on dns explain { en "{last_labels(query, 2)} {upper(qtype)}" }')).toEqual([])
    expect(check('on dns explain { en "{lower(src.port)}" }')).toEqual([
      '6:24 lower wants a string here, not a number',
    ])
    expect(check('on dns explain { en "a {b c} d" }')[0]).toMatch(
      /^6:26 \{b c\} is not a field or a function of fields/,
    )
  })

  it('checks without lists when none are given (a single file on its own)', () => {
    const text =
      'detection "SB-T-0001" version 1 { title { en "x" } class "info.x" severity info on dns where query in intel("anything") }'
    expect(compileRules([{ path: 'r.soc', text }], undefined).diagnostics).toEqual([])
  })

  it('requires class, severity, title and on', () => {
    const messages = compileRules(
      [{ path: 'r.soc', text: 'detection "SB-T-0001" version 1 { }' }],
      undefined,
    ).diagnostics.map((d) => d.message)
    expect(messages).toEqual([
      'rule SB-T-0001 has no class',
      'rule SB-T-0001 has no severity',
      'rule SB-T-0001 has no on section',
      'rule SB-T-0001 has no title',
    ])
  })
})
