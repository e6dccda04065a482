// Community ID v1 (corelight/community-id-spec, seed 0) of a flow with ports, as the sensor
// computes it: wire v2 leaves out the ids the edge can compute this way (dsl/schema/README.md §2).
// It runs for most events of every batch, so it hashes in place: the input of a port-based flow
// (at most 40 bytes) fits one SHA-1 block, written into buffers reused from call to call, and
// IPv4 (nearly all traffic) never leaves 32-bit numbers.
import { ipv4Number, parseIp } from './ip-address.ts'

const block = new Uint8Array(64)
const view = new DataView(block.buffer)
const w = new Int32Array(80)
const h = new Int32Array(5)
const v6a = new Uint8Array(16)
const v6b = new Uint8Array(16)
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
/** Two base64 characters for each 12-bit value: a digest is written in 14 pieces, not 28. */
const PAIRS: string[] = []
for (let i = 0; i < 4096; i++) PAIRS.push(B64.charAt(i >>> 6) + B64.charAt(i & 63))

/**
 * `1:` + base64(sha1(seed 0, addresses, proto, 0, ports)), endpoints ordered so both directions
 * of the flow give the same id; undefined when an address is not an IPv4/IPv6 literal or the
 * two are of different families (the sensor never derives those).
 */
export function communityIdV1(
  srcIp: string,
  dstIp: string,
  proto: number,
  srcPort: number,
  dstPort: number,
): string | undefined {
  const a = ipv4Number(srcIp)
  const b = ipv4Number(dstIp)
  let end: number
  if (a !== undefined && b !== undefined) {
    const swap = a > b || (a === b && srcPort > dstPort)
    view.setUint32(2, swap ? b : a)
    view.setUint32(6, swap ? a : b)
    end = writeTail(10, proto, swap ? dstPort : srcPort, swap ? srcPort : dstPort)
  } else {
    if (a !== undefined || b !== undefined) return undefined
    if (!v6Bytes(srcIp, v6a) || !v6Bytes(dstIp, v6b)) return undefined
    let order = 0
    for (let i = 0; i < 16 && order === 0; i++) order = (v6a[i] as number) - (v6b[i] as number)
    const swap = order > 0 || (order === 0 && srcPort > dstPort)
    block.set(swap ? v6b : v6a, 2)
    block.set(swap ? v6a : v6b, 18)
    end = writeTail(34, proto, swap ? dstPort : srcPort, swap ? srcPort : dstPort)
  }
  block[0] = 0
  block[1] = 0
  sha1OneBlock(end)
  return base64Digest()
}

function writeTail(at: number, proto: number, lowPort: number, highPort: number): number {
  block[at] = proto
  block[at + 1] = 0
  view.setUint16(at + 2, lowPort)
  view.setUint16(at + 4, highPort)
  return at + 6
}

// IPv6 text as 16 bytes. An IPv4-mapped address (::ffff:a.b.c.d) stays IPv6 here: the sensor
// hashes the 16 bytes it saw on the wire.
function v6Bytes(text: string, out: Uint8Array): boolean {
  if (!text.includes(':')) return false
  const parsed = parseIp(text)
  if (parsed === undefined) return false
  const words = parsed.v === 6 ? parsed.words : [0, 0, 0, 0, 0, 0xffff, ...parsed.words]
  for (let i = 0; i < 8; i++) {
    const word = words[i] as number
    out[2 * i] = word >>> 8
    out[2 * i + 1] = word & 0xff
  }
  return true
}

/** SHA-1 of `block[0..length)` (length ≤ 55) into `h`. */
function sha1OneBlock(length: number): void {
  block[length] = 0x80
  block.fill(0, length + 1, 60)
  view.setUint32(60, length * 8)
  for (let i = 0; i < 16; i++) w[i] = view.getInt32(i * 4)
  for (let i = 16; i < 80; i++) {
    const t =
      (w[i - 3] as number) ^ (w[i - 8] as number) ^ (w[i - 14] as number) ^ (w[i - 16] as number)
    w[i] = (t << 1) | (t >>> 31)
  }
  let a = 0x67452301
  let b = 0xefcdab89 | 0
  let c = 0x98badcfe | 0
  let d = 0x10325476
  let e = 0xc3d2e1f0 | 0
  let i = 0
  // Four loops of 20 rounds, one per round function, so no round branches.
  for (; i < 20; i++) {
    const t =
      (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + (w[i] as number)) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  for (; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + (w[i] as number)) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  for (; i < 60; i++) {
    const t =
      (((a << 5) | (a >>> 27)) +
        ((b & c) | (b & d) | (c & d)) +
        e +
        (0x8f1bbcdc | 0) +
        (w[i] as number)) |
      0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  for (; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + (w[i] as number)) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  h[0] = 0x67452301 + a
  h[1] = (0xefcdab89 | 0) + b
  h[2] = (0x98badcfe | 0) + c
  h[3] = 0x10325476 + d
  h[4] = (0xc3d2e1f0 | 0) + e
}

/** `1:` + base64 of the 20 digest bytes: six 24-bit groups, then 2 bytes and the padding. */
function base64Digest(): string {
  const h0 = h[0] as number
  const h1 = h[1] as number
  const h2 = h[2] as number
  const h3 = h[3] as number
  const h4 = h[4] as number
  const tail = (h4 & 0xffff) << 2 // the last 16 bits as three 6-bit digits
  return `1:${group(h0 >>> 8)}${group(((h0 & 0xff) << 16) | ((h1 >>> 16) & 0xffff))}${group(
    ((h1 & 0xffff) << 8) | ((h2 >>> 24) & 0xff),
  )}${group(h2 & 0xffffff)}${group(h3 >>> 8)}${group(((h3 & 0xff) << 16) | ((h4 >>> 16) & 0xffff))}${
    PAIRS[tail >>> 6]
  }${B64.charAt(tail & 63)}=`
}

function group(bits24: number): string {
  return (PAIRS[(bits24 >>> 12) & 4095] as string) + (PAIRS[bits24 & 4095] as string)
}
