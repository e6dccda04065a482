/**
 * Captured packets as Ethernet frames, since the generated capture is Ethernet only: Linux cooked
 * (SLL, SLL2), BSD loopback and raw IP packets get a 14-byte Ethernet header (the cooked header's
 * source MAC where it has one, fixed locally administered MACs otherwise); origLen follows.
 */
import type { CapturedPacket } from './pcap-read.ts'

const be16 = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number)

const SYNTH_SRC_MAC = [0x02, 0, 0, 0, 0, 0x01]
const SYNTH_DST_MAC = [0x02, 0, 0, 0, 0, 0x02]

/** The packet as an Ethernet frame, or undefined for link types that carry no IP. */
export function asEthernet(p: CapturedPacket): { frame: Uint8Array; origLen: number } | undefined {
  const d = p.data
  const withHeader = (ethertype: number, skip: number, src: ArrayLike<number> = SYNTH_SRC_MAC) => {
    if (d.length < skip) return undefined
    const frame = new Uint8Array(14 + d.length - skip)
    frame.set(SYNTH_DST_MAC, 0)
    frame.set(src, 6)
    frame[12] = ethertype >> 8
    frame[13] = ethertype & 0xff
    frame.set(d.subarray(skip), 14)
    return { frame, origLen: p.origLen - skip + 14 }
  }
  const byVersion = (skip: number) => {
    const v = (d[skip] ?? 0) >> 4
    return v === 4 ? withHeader(0x0800, skip) : v === 6 ? withHeader(0x86dd, skip) : undefined
  }
  switch (p.linktype) {
    case 1:
      return { frame: d, origLen: p.origLen }
    case 113: {
      // Linux cooked v1: packet type, ARPHRD, address length, 8 address bytes, protocol
      const halen = be16(d, 4)
      return withHeader(be16(d, 14), 16, halen === 6 ? d.subarray(6, 12) : SYNTH_SRC_MAC)
    }
    case 276: {
      const halen = d[11] ?? 0
      return withHeader(be16(d, 0), 20, halen === 6 ? d.subarray(12, 18) : SYNTH_SRC_MAC)
    }
    case 0:
    case 108: {
      // BSD loopback: the address family, in the capturing host's byte order (network order for 108)
      const family = p.linktype === 108 ? be16(d, 2) : Math.max(d[0] ?? 0, d[3] ?? 0)
      if (family === 2) return withHeader(0x0800, 4)
      if ([10, 24, 28, 30].includes(family)) return withHeader(0x86dd, 4)
      return undefined
    }
    case 101:
    case 12:
    case 14:
      return byVersion(0)
    case 228:
      return withHeader(0x0800, 0)
    case 229:
      return withHeader(0x86dd, 0)
    default:
      return undefined
  }
}
