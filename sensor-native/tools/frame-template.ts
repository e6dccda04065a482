/**
 * A captured packet turned into a template for rewritten copies: the frame as Ethernet (other
 * link types get an Ethernet header), plus patches that a copy applies after the bytes are copied:
 * "write the tile's address for slot s at offset o" and "write a checksum at offset o". A checksum
 * is precomputed as a partial sum of everything that does not change, so a copy only adds the sums
 * of its new addresses (and of inner checksums written before it, for ICMP errors):
 * - complete packets get a fresh checksum over their bytes (correct even where the capture had
 *   wrong ones, as captures taken on the sending host do);
 * - packets the capture cut short, fragments, quoted packets in ICMP errors and IPv6 packets with
 *   a routing header get the original checksum updated for the new addresses (RFC 1624).
 * Addresses are rewritten in IPv4, IPv6, ARP, IP-in-IP, the packet an ICMP error quotes and the
 * A/AAAA answers of DNS over UDP (so names keep resolving to the tile's hosts).
 */
import { fold, negated, wordSum } from './checksum.ts'
import { dnsAddressFields } from './dns-addresses.ts'
import { asEthernet } from './ethernet-frame.ts'
import type { CapturedPacket } from './pcap-read.ts'

export const PATCH_ADDRESS = 0
export const PATCH_CHECKSUM = 1
/** Checksum mode: UDP writes 0xffff for a computed 0, since 0 means "no checksum". */
export const MODE_PLAIN = 0
export const MODE_UDP = 1

export type FrameTemplate = {
  frame: Uint8Array
  origLen: number
  /** [PATCH_ADDRESS, offset, slot] or [PATCH_CHECKSUM, offset, base, mode, n, slot ref…, m, dependency offset…] */
  patches: number[]
}

/** The distinct addresses of one capture; a slot is an index into `addresses`. */
export type AddressSlots = { addresses: Uint8Array[]; slotOf(address: Uint8Array): number }

export function addressSlots(): AddressSlots {
  const addresses: Uint8Array[] = []
  const index = new Map<string, number>()
  return {
    addresses,
    slotOf(address) {
      const key = Buffer.from(address).toString('hex')
      let slot = index.get(key)
      if (slot === undefined) {
        slot = addresses.length
        addresses.push(Uint8Array.from(address))
        index.set(key, slot)
      }
      return slot
    },
  }
}

const be16 = (b: Uint8Array, at: number) => ((b[at] as number) << 8) | (b[at + 1] as number)

type Context = { frame: Uint8Array; patches: number[]; slots: AddressSlots }

function addAddress(c: Context, at: number, length: number): number | undefined {
  if (at + length > c.frame.length) return undefined
  const slot = c.slots.slotOf(c.frame.subarray(at, at + length))
  c.patches.push(PATCH_ADDRESS, at, slot)
  return slot
}

type Inner = { addressAt: number[]; addressSlots: number[]; checksumAt: number[] }

/** The patches added since index `from`: what an enclosing checksum must account for. */
function innerSince(c: Context, from: number): Inner {
  const inner: Inner = { addressAt: [], addressSlots: [], checksumAt: [] }
  let i = from
  while (i < c.patches.length) {
    if (c.patches[i] === PATCH_ADDRESS) {
      inner.addressAt.push(c.patches[i + 1] as number)
      inner.addressSlots.push(c.patches[i + 2] as number)
      i += 3
    } else {
      inner.checksumAt.push(c.patches[i + 1] as number)
      const n = c.patches[i + 4] as number
      const m = c.patches[i + 5 + n] as number
      i += 6 + n + m
    }
  }
  return inner
}

type Checksum = {
  at: number
  /** Where the covered bytes start: words are counted from here. */
  start: number
  /** Where they end when the packet is complete; undefined: update incrementally. */
  end?: number
  pseudo: number
  pseudoSlots: number[]
  pseudoAt: number[]
  inner: Inner
  mode: number
}

const swap16 = (x: number) => ((x & 0xff) << 8) | (x >> 8)

/**
 * A slot reference in a checksum patch: `slot`, or `-(slot + 1)` when the address sits at an odd
 * offset from the start of the covered bytes, where its bytes count byte-swapped (RFC 1071 §2(B)).
 */
const slotRef = (slot: number, odd: boolean) => (odd ? -(slot + 1) : slot)

function addChecksum(c: Context, k: Checksum): void {
  if (k.at + 2 > c.frame.length) return
  const f = c.frame
  const addressLength = (slot: number) => (c.slots.addresses[slot] as Uint8Array).length
  /** What the bytes of a field add to a sum whose words start at k.start. */
  const contribution = (at: number, length: number) => {
    const sum = fold(wordSum(f, at, at + length))
    return (at - k.start) & 1 ? swap16(sum) : sum
  }
  let old = 0 // everything that changes, as it is in the capture
  k.inner.addressAt.forEach((at, i) => {
    old += contribution(at, addressLength(k.inner.addressSlots[i] as number))
  })
  for (const at of k.inner.checksumAt) old += contribution(at, 2)
  let base: number
  if (k.end !== undefined) {
    base = wordSum(f, k.start, k.end) + negated(be16(f, k.at)) + k.pseudo + negated(old)
  } else {
    k.pseudoAt.forEach((at, i) => {
      old += wordSum(f, at, at + addressLength(k.pseudoSlots[i] as number))
    })
    base = negated(be16(f, k.at)) + negated(old)
  }
  const slots = [
    ...k.pseudoSlots,
    ...k.inner.addressSlots.map((slot, i) =>
      slotRef(slot, (((k.inner.addressAt[i] as number) - k.start) & 1) === 1),
    ),
  ]
  // inner checksums sit at even offsets (they follow IP headers), so their values add as they are
  c.patches.push(PATCH_CHECKSUM, k.at, fold(base), k.mode, slots.length, ...slots)
  c.patches.push(k.inner.checksumAt.length, ...k.inner.checksumAt)
}

const NO_INNER: Inner = { addressAt: [], addressSlots: [], checksumAt: [] }
const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12])
const ICMP6_ERRORS = new Set([1, 2, 3, 4])
/** Where socbox reads DNS (and where the generator rewrites the addresses in answers). */
const DNS_PORTS = new Set([53, 5353, 5355])

/**
 * Transport checksums (TCP, UDP, ICMP, ICMPv6) once the IP layer is known. `quoted`: the packet is
 * inside an ICMP error, so it is cut and its checksums can only be updated.
 */
function transport(
  c: Context,
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

function ipv4(c: Context, at: number, quoted: boolean): void {
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

function ipv6(c: Context, at: number, quoted: boolean): void {
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

function network(c: Context, at: number, version: 4 | 6, quoted: boolean): void {
  if (version === 4) ipv4(c, at, quoted)
  else ipv6(c, at, quoted)
}

function arp(c: Context, at: number): void {
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
  const c: Context = { frame: eth.frame, patches: [], slots }
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
