/**
 * A captured packet turned into a template for rewritten copies: the frame as Ethernet
 * (ethernet-frame.ts) plus the patches a copy applies after its bytes are copied (patch-list.ts).
 * Addresses are rewritten in IPv4, IPv6, ARP, IP-in-IP, the packet an ICMP error quotes and the
 * A/AAAA answers of DNS over UDP (so names keep resolving to the tile's hosts). Transport
 * checksums are recomputed for complete packets, and updated for packets the capture cut short,
 * fragments, quoted packets and IPv6 packets with a routing header (whose pseudo-header names the
 * final destination).
 */
import { dnsAddressFields } from './dns-addresses.ts'
import { asEthernet } from './ethernet-frame.ts'
import {
  type AddressSlots,
  addAddress,
  addChecksum,
  innerSince,
  MODE_PLAIN,
  MODE_UDP,
  NO_INNER,
  type PatchContext,
} from './patch-list.ts'
import type { CapturedPacket } from './pcap-read.ts'

export type FrameTemplate = {
  frame: Uint8Array
  origLen: number
  /** See patch-list.ts for the encoding. */
  patches: number[]
}

const be16 = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number)

const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12])
const ICMP6_ERRORS = new Set([1, 2, 3, 4])
/** Where socbox reads DNS (and where the generator rewrites the addresses in answers). */
const DNS_PORTS = new Set([53, 5353, 5355])

/**
 * Transport checksums (TCP, UDP, ICMP, ICMPv6) once the IP layer is known. `quoted`: the packet is
 * inside an ICMP error, so it is cut and its checksums can only be updated.
 */
function transport(
  c: PatchContext,
  proto: number,
  l4: number,
  l4End: number,
  complete: boolean,
  quoted: boolean,
  pseudo: { sum: number; slots: number[]; at: number[] },
  v6: boolean,
): void {
  const f = c.frame
  const common = {
    start: l4,
    ...(complete ? { end: l4End } : {}),
    pseudo: pseudo.sum,
    pseudoSlots: pseudo.slots,
    pseudoAt: pseudo.at,
    inner: NO_INNER,
  }
  if (proto === 6 && l4 + 18 <= f.length) {
    addChecksum(c, { ...common, at: l4 + 16, mode: MODE_PLAIN })
  } else if (proto === 17 && l4 + 8 <= f.length) {
    const from = c.patches.length
    const ports = [be16(f, l4), be16(f, l4 + 2)]
    if (complete && ports.some((port) => DNS_PORTS.has(port))) {
      for (const [at, length] of dnsAddressFields(f, l4 + 8, l4End)) addAddress(c, at, length)
    }
    const inner = innerSince(c, from)
    // over IPv4 a zero UDP checksum means "none", and stays none
    if (v6 || be16(f, l4 + 6) !== 0)
      addChecksum(c, { ...common, at: l4 + 6, inner, mode: MODE_UDP })
  } else if ((proto === 1 || proto === 58) && !quoted && l4 + 8 <= f.length) {
    const errors = proto === 1 ? ICMP4_ERRORS : ICMP6_ERRORS
    const from = c.patches.length
    if (errors.has(f[l4] as number)) network(c, l4 + 8, v6 ? 6 : 4, true)
    const inner = innerSince(c, from)
    // ICMPv4's checksum covers no pseudo-header: it changes only if the quoted packet does
    if (proto === 1 && inner.addressAt.length === 0) return
    const own = proto === 1 ? { pseudo: 0, pseudoSlots: [], pseudoAt: [] } : {}
    addChecksum(c, { ...common, ...own, at: l4 + 2, inner, mode: MODE_PLAIN })
  } else if ((proto === 4 || proto === 41) && !quoted) network(c, l4, proto === 4 ? 4 : 6, false)
}

function ipv4(c: PatchContext, at: number, quoted: boolean): void {
  const f = c.frame
  if (at + 20 > f.length || (f[at] as number) >> 4 !== 4) return
  const ihl = ((f[at] as number) & 0x0f) * 4
  if (ihl < 20) return
  const src = addAddress(c, at + 12, 4)
  const dst = addAddress(c, at + 16, 4)
  if (src === undefined || dst === undefined) return
  if (at + ihl <= f.length) {
    addChecksum(c, {
      at: at + 10,
      start: at,
      end: at + ihl,
      pseudo: 0,
      pseudoSlots: [],
      pseudoAt: [],
      inner: { addressAt: [at + 12, at + 16], addressSlots: [src, dst], checksumAt: [] },
      mode: MODE_PLAIN,
    })
  }
  const fragment = be16(f, at + 6)
  if ((fragment & 0x1fff) !== 0) return // a later fragment: no transport header
  const total = be16(f, at + 2)
  const l4 = at + ihl
  const l4End = at + total
  const proto = f[at + 9] as number
  const complete = !quoted && (fragment & 0x2000) === 0 && l4End <= f.length && total >= ihl
  const pseudo = {
    sum: proto + Math.max(0, total - ihl),
    slots: [src, dst],
    at: [at + 12, at + 16],
  }
  transport(c, proto, l4, l4End, complete, quoted, pseudo, false)
}

const IPV6_EXTENSIONS = new Set([0, 43, 44, 51, 60])

function ipv6(c: PatchContext, at: number, quoted: boolean): void {
  const f = c.frame
  if (at + 40 > f.length || (f[at] as number) >> 4 !== 6) return
  const src = addAddress(c, at + 8, 16)
  const dst = addAddress(c, at + 24, 16)
  if (src === undefined || dst === undefined) return
  const end = at + 40 + be16(f, at + 4)
  let next = f[at + 6] as number
  let p = at + 40
  let cut = false
  while (IPV6_EXTENSIONS.has(next) && p + 8 <= f.length) {
    if (next === 44) {
      const offsetAndMore = be16(f, p + 2)
      if ((offsetAndMore & 0xfff8) !== 0) return // a later fragment
      if (offsetAndMore & 1) cut = true
      next = f[p] as number
      p += 8
    } else {
      if (next === 43) cut = true // the pseudo-header names the final destination, not `dst`
      const length = next === 51 ? ((f[p + 1] as number) + 2) * 4 : ((f[p + 1] as number) + 1) * 8
      next = f[p] as number
      p += length
    }
  }
  if (IPV6_EXTENSIONS.has(next)) return
  const length = end - p
  const complete = !quoted && !cut && end <= f.length && length >= 0
  const pseudo = {
    sum: Math.floor(length / 0x10000) + (length & 0xffff) + next,
    slots: [src, dst],
    at: [at + 8, at + 24],
  }
  transport(c, next, p, end, complete, quoted, pseudo, true)
}

function network(c: PatchContext, at: number, version: 4 | 6, quoted: boolean): void {
  if (version === 4) ipv4(c, at, quoted)
  else ipv6(c, at, quoted)
}

function arp(c: PatchContext, at: number): void {
  const f = c.frame
  if (at + 28 > f.length) return
  if (be16(f, at) !== 1 || be16(f, at + 2) !== 0x0800 || f[at + 4] !== 6 || f[at + 5] !== 4) return
  addAddress(c, at + 14, 4)
  addAddress(c, at + 24, 4)
}

export function frameTemplate(
  packet: CapturedPacket,
  slots: AddressSlots,
): FrameTemplate | undefined {
  const eth = asEthernet(packet)
  if (!eth || eth.frame.length < 14) return undefined
  const c: PatchContext = { frame: eth.frame, patches: [], slots }
  let at = 14
  let ethertype = be16(eth.frame, 12)
  while (
    (ethertype === 0x8100 || ethertype === 0x88a8 || ethertype === 0x9100) &&
    at + 4 <= eth.frame.length
  ) {
    ethertype = be16(eth.frame, at + 2)
    at += 4
  }
  if (ethertype === 0x0800) ipv4(c, at, false)
  else if (ethertype === 0x86dd) ipv6(c, at, false)
  else if (ethertype === 0x0806) arp(c, at)
  return { frame: eth.frame, origLen: eth.origLen, patches: c.patches }
}
