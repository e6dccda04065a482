import { expect, it } from 'vitest'
import { asEthernet } from './ethernet-frame.ts'

const ipv4 = [0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]
const ipv6 = [0x60, ...Array(39).fill(0)]
const ethertype = (f: Uint8Array) => ((f[12] as number) << 8) | (f[13] as number)

it('keeps Ethernet as it is', () => {
  const data = Uint8Array.from([...Array(12).fill(1), 0x08, 0x00, ...ipv4])
  expect(asEthernet({ linktype: 1, tsUs: 0, data, origLen: 34 })).toEqual({
    frame: data,
    origLen: 34,
  })
})

it('gives raw IP an Ethernet header by IP version', () => {
  const v4 = asEthernet({ linktype: 101, tsUs: 0, data: Uint8Array.from(ipv4), origLen: 20 })
  const v6 = asEthernet({ linktype: 101, tsUs: 0, data: Uint8Array.from(ipv6), origLen: 40 })
  expect(v4 && [ethertype(v4.frame), v4.frame.length, v4.origLen]).toEqual([0x0800, 34, 34])
  expect(v6 && ethertype(v6.frame)).toBe(0x86dd)
})

it('reads the address family of BSD loopback in either byte order', () => {
  const le = asEthernet({
    linktype: 0,
    tsUs: 0,
    data: Uint8Array.from([2, 0, 0, 0, ...ipv4]),
    origLen: 24,
  })
  const be = asEthernet({
    linktype: 0,
    tsUs: 0,
    data: Uint8Array.from([0, 0, 0, 30, ...ipv6]),
    origLen: 44,
  })
  expect(le && [ethertype(le.frame), le.frame.length]).toEqual([0x0800, 34])
  expect(be && ethertype(be.frame)).toBe(0x86dd)
})

it('keeps the source MAC of a Linux cooked header', () => {
  const sll = [0, 0, 0, 1, 0, 6, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0, 0, 0x08, 0x00]
  const eth = asEthernet({
    linktype: 113,
    tsUs: 0,
    data: Uint8Array.from([...sll, ...ipv4]),
    origLen: 36,
  })
  expect(eth && [...eth.frame.subarray(6, 12)]).toEqual([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])
  expect(eth && [ethertype(eth.frame), eth.origLen]).toEqual([0x0800, 34])
})

it('refuses link types that carry no IP it knows', () => {
  expect(
    asEthernet({ linktype: 127, tsUs: 0, data: Uint8Array.from(ipv4), origLen: 20 }),
  ).toBeUndefined()
})
