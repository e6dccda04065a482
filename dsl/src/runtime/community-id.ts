// Community ID v1 (corelight/community-id-spec, seed 0) of a flow with ports, as the sensor
// computes it: wire v2 leaves out the ids the edge can compute this way (dsl/schema/README.md §2).
// It runs for most events of every batch, so it hashes in place: the input of a port-based flow
// (at most 40 bytes) fits one SHA-1 block, written into buffers reused from call to call.
import { ipv4Number, parseIp } from './ip-address.ts'

const block = new Uint8Array(64)
const view = new DataView(block.buffer)
const w = new Int32Array(80)
const digest = new Uint8Array(20)
const digestView = new DataView(digest.buffer)
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const v4a = new Uint8Array(4)
const v4b = new Uint8Array(4)
const v6a = new Uint8Array(16)
const v6b = new Uint8Array(16)

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
  let a: Uint8Array
  let b: Uint8Array
  if (!srcIp.includes(':') && !dstIp.includes(':')) {
    if (!v4Bytes(srcIp, v4a) || !v4Bytes(dstIp, v4b)) return undefined
    a = v4a
    b = v4b
  } else {
    if (!v6Bytes(srcIp, v6a) || !v6Bytes(dstIp, v6b)) return undefined
    a = v6a
    b = v6b
  }
  let order = compareBytes(a, b)
  if (order === 0) order = srcPort - dstPort
  const [lowIp, lowPort, highIp, highPort] =
    order <= 0 ? [a, srcPort, b, dstPort] : [b, dstPort, a, srcPort]
  block[0] = 0
  block[1] = 0
  block.set(lowIp, 2)
  block.set(highIp, 2 + a.length)
  let at = 2 + 2 * a.length
  block[at++] = proto
  block[at++] = 0
  view.setUint16(at, lowPort)
  view.setUint16(at + 2, highPort)
  sha1OneBlock(at + 4)
  return base64Id()
}

function v4Bytes(text: string, out: Uint8Array): boolean {
  const value = ipv4Number(text)
  if (value === undefined) return false
  out[0] = value >>> 24
  out[1] = (value >>> 16) & 0xff
  out[2] = (value >>> 8) & 0xff
  out[3] = value & 0xff
  return true
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

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
  return 0
}

/** SHA-1 of `block[0..length)` (length ≤ 55) into `digest`. */
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
  for (let i = 0; i < 80; i++) {
    let f: number
    let k: number
    if (i < 20) {
      f = (b & c) | (~b & d)
      k = 0x5a827999
    } else if (i < 40) {
      f = b ^ c ^ d
      k = 0x6ed9eba1
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d)
      k = 0x8f1bbcdc | 0
    } else {
      f = b ^ c ^ d
      k = 0xca62c1d6 | 0
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + (w[i] as number)) | 0
    e = d
    d = c
    c = (b << 30) | (b >>> 2)
    b = a
    a = t
  }
  digestView.setInt32(0, (0x67452301 + a) | 0)
  digestView.setInt32(4, ((0xefcdab89 | 0) + b) | 0)
  digestView.setInt32(8, ((0x98badcfe | 0) + c) | 0)
  digestView.setInt32(12, (0x10325476 + d) | 0)
  digestView.setInt32(16, ((0xc3d2e1f0 | 0) + e) | 0)
}

function base64Id(): string {
  let out = '1:'
  for (let i = 0; i < 18; i += 3) {
    const n =
      ((digest[i] as number) << 16) | ((digest[i + 1] as number) << 8) | (digest[i + 2] as number)
    out +=
      B64.charAt(n >>> 18) +
      B64.charAt((n >>> 12) & 63) +
      B64.charAt((n >>> 6) & 63) +
      B64.charAt(n & 63)
  }
  const n = ((digest[18] as number) << 16) | ((digest[19] as number) << 8)
  return `${out}${B64.charAt(n >>> 18)}${B64.charAt((n >>> 12) & 63)}${B64.charAt((n >>> 6) & 63)}=`
}
