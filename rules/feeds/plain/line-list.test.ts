import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { INTEL } from '../testing/shared-data.ts'
import { parseLineList } from './line-list.ts'

const tor = { ioc: 'ip' as const, class: 'suspicious.tor', label: 'tor' }

describe('parseLineList', { timeout: 60_000 }, () => {
  it('keeps good lines and reports bad ones by line', () => {
    const result = parseLineList(
      {
        feed: 'f',
        source: 'x.lst',
        text: '# header\n1.2.3.4\n\nnot-an-ip\n2001:DB8::1 # relay\n300.1.1.1\n',
      },
      tor,
    )
    expect(result.indicators.map((i) => [i.value, i.origin.line])).toEqual([
      ['1.2.3.4', 2],
      ['2001:db8::1', 5],
    ])
    expect(result.errors.map((e) => [e.line, e.reason])).toEqual([
      [4, 'not an IPv4 address'],
      [6, 'not an IPv4 address'],
    ])
  })

  // By hand: `grep -c . tor-exit-nodes.lst` → 1746 (`grep -c :` → 619 IPv6), `grep -c : tor-nodes.lst` → 2423 IPv6 of
  // `grep -c . tor-nodes.lst` → 8054; `grep -c . ips.txt` → 19863 (ThreatFox, no final newline, IPv4 only).
  it.each([
    ['tor-ip-lists/tor-exit-nodes.lst', 1746, 619],
    ['tor-ip-lists/tor-nodes.lst', 8054, 2423],
    ['abusech/threatfox-ips-elliotwutingfeng/ips.txt', 19863, 0],
  ])('reads %s', (path, total, ipv6) => {
    const result = parseLineList(
      { feed: 'f', source: path, text: readFileSync(`${INTEL}/${path}`, 'utf8') },
      tor,
    )
    expect(result.errors).toEqual([])
    expect(result.indicators.length).toBe(total)
    expect(result.indicators.filter((i) => i.value.includes(':')).length).toBe(ipv6)
  })
})
