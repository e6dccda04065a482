import { describe, expect, it } from 'vitest'
import { parseStixPattern } from './stix-pattern.ts'

// Patterns as written in the STIX 2.1 specification's examples (§4.7 Indicator, §9 Patterning).
describe('parseStixPattern', () => {
  it.each([
    ["[ url:value = 'http://x4z9arb.cn/4712/' ]", [{ ioc: 'url', raw: 'http://x4z9arb.cn/4712/' }]],
    ["[domain-name:value = 'www.5z8.info']", [{ ioc: 'domain', raw: 'www.5z8.info' }]],
    [
      "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
      [
        { ioc: 'ip', raw: '198.51.100.1/32' },
        { ioc: 'ip', raw: '203.0.113.33/32' },
        { ioc: 'ip', raw: '2001:0db8:dead:beef:dead:beef:dead:0001/128' },
      ],
    ],
    [
      "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
      [
        {
          ioc: 'hash',
          raw: 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f',
          algorithm: 'SHA-256',
        },
      ],
    ],
    [
      "[file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4']",
      [{ ioc: 'hash', raw: '79054025255fb1a26e4bc422aef54eb4', algorithm: 'MD5' }],
    ],
    [
      "[domain-name:value = 'a.example'] OR ([url:value = 'http://b.example/it\\'s'])",
      [
        { ioc: 'domain', raw: 'a.example' },
        { ioc: 'url', raw: "http://b.example/it's" },
      ],
    ],
    ["[ipv4-addr:value ISSUBSET '198.51.100.0/24']", [{ ioc: 'ip', raw: '198.51.100.0/24' }]],
    [
      "[domain-name:value IN ('a.example', 'b.example')]",
      [
        { ioc: 'domain', raw: 'a.example' },
        { ioc: 'domain', raw: 'b.example' },
      ],
    ],
  ])('%s', (pattern, terms) => {
    expect(parseStixPattern(pattern)).toEqual({ ok: true, value: terms })
  })

  it.each([
    [
      "[domain-name:value = 'www.5z8.info' OR domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
      'object path domain-name:resolves_to_refs[*].value is not a supported indicator',
    ],
    [
      "[file:hashes.'SHA-256' = 'aec0' AND file:mime_type = 'application/x-pdf']",
      'AND inside an observation is not a list lookup',
    ],
    [
      "[ipv4-addr:value = '198.51.100.1'] AND [domain-name:value = 'example.com']",
      'AND between observations is not a list lookup',
    ],
    [
      "[ipv4-addr:value = '198.51.100.1'] FOLLOWEDBY [domain-name:value = 'example.com']",
      'FOLLOWEDBY between observations is not a list lookup',
    ],
    [
      "[network-traffic:dst_ref.value = '203.0.113.33/32'] REPEATS 5 TIMES WITHIN 180 SECONDS",
      'object path network-traffic:dst_ref.value is not a supported indicator',
    ],
    [
      "[domain-name:value = 'example.com'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
      'qualifier START is not a list lookup',
    ],
    ["[url:value LIKE '%example%']", 'operator LIKE is not a list lookup'],
    ["[url:value MATCHES '^http']", 'operator MATCHES is not a list lookup'],
    ["[domain-name:value != 'example.com']", 'operator != is not a list lookup'],
    ["[domain-name:value = 'open", 'unterminated string literal'],
    ["[domain-name:value IN ('a.example' 'b.example')]", 'expected "," or ")" in an IN list'],
    ["[domain-name:value IN 'a.example']", 'expected "(" after IN'],
    ['[domain-name:value IN (1, 2)]', 'IN takes a list of strings'],
    ["domain-name:value = 'x'", 'expected "[" to start an observation'],
    ["([domain-name:value = 'x']", 'missing ")"'],
  ])('refuses %s', (pattern, reason) => {
    expect(parseStixPattern(pattern)).toEqual({ ok: false, reason })
  })
})
