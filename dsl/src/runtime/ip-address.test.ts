import { describe, expect, it } from 'vitest'
import { parseIp, parsePrefix, prefixContains } from './ip-address.ts'

const contains = (prefix: string, ip: string) => {
  const p = parsePrefix(prefix)
  const a = parseIp(ip)
  if (!p || !a) throw new Error(`bad input ${prefix} ${ip}`)
  return prefixContains(p, a)
}

describe('ip addresses and prefixes', () => {
  it('parses IPv4, IPv6 and IPv4-mapped IPv6', () => {
    expect(parseIp('10.1.2.3')).toEqual({ v: 4, words: [0x0a01, 0x0203] })
    expect(parseIp('fe80::1')).toEqual({ v: 6, words: [0xfe80, 0, 0, 0, 0, 0, 0, 1] })
    expect(parseIp('::ffff:10.1.2.3')).toEqual({ v: 4, words: [0x0a01, 0x0203] })
    expect(parseIp('2001:db8::')).toEqual({ v: 6, words: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0] })
  })

  it('rejects what is not an address', () => {
    for (const text of [
      '10.1.2',
      '256.1.1.1',
      '01.1.1.1',
      'a::b::c',
      '1:2:3:4:5:6:7:8:9',
      'example.com',
      '',
      '::g',
    ]) {
      expect(parseIp(text), text).toBeUndefined()
    }
    expect(parsePrefix('10.0.0.0/33')).toBeUndefined()
    expect(parsePrefix('10.0.0.0/x')).toBeUndefined()
  })

  it('matches prefixes on bit boundaries', () => {
    expect(contains('10.0.0.0/8', '10.255.1.1')).toBe(true)
    expect(contains('10.0.0.0/8', '11.0.0.1')).toBe(false)
    expect(contains('172.16.0.0/12', '172.31.255.255')).toBe(true)
    expect(contains('172.16.0.0/12', '172.32.0.0')).toBe(false)
    expect(contains('100.64.0.0/10', '100.127.0.1')).toBe(true)
    expect(contains('fc00::/7', 'fd12:3456::1')).toBe(true)
    expect(contains('fc00::/7', 'fe00::1')).toBe(false)
    expect(contains('0.0.0.0/0', '8.8.8.8')).toBe(true)
    expect(contains('8.8.8.8', '8.8.8.8')).toBe(true)
    expect(contains('8.8.8.8', '8.8.8.9')).toBe(false)
    expect(contains('10.0.0.0/8', '::ffff:10.0.0.1')).toBe(true)
    expect(contains('::/0', '10.0.0.1')).toBe(false)
  })
})
