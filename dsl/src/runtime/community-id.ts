// Community ID v1 (corelight/community-id-spec, seed 0) of a flow with ports, as the sensor
// computes it: wire v2 leaves out the ids the edge can compute this way (dsl/schema/README.md §2).
// It runs for most events of every batch, so:
// - it hashes in 32-bit words: the input of a port-based flow (16 bytes for IPv4, 40 for IPv6)
//   fits one SHA-1 block, whose words are written straight from the addresses and ports into one
//   block reused from call to call, hashed by sha1-block.ts, and the digest becomes its 28 base64
//   characters in one String.fromCharCode call;
// - it remembers recent ids: the events of one flow (its conn, dns, http, file, sig…) travel
//   together, and on the shared captures nearly half the events of a batch repeat a flow of it;
// - and recent addresses by their text: reading an address's digits cost more than all the
//   cache lookups of a flow, and the hosts of a batch recur across its flows.
import { parseIp } from './ip-address.ts'
import { sha1Block } from './sha1-block.ts'

/**
 * The padded SHA-1 blocks of the IPv4 and IPv6 flow being hashed (each keeps its own zero words
 * and length, set once), and the hash.
 */
const w4 = new Int32Array(16)
w4[4] = 0x80000000 | 0
w4[15] = 16 * 8
const w6 = new Int32Array(16)
w6[10] = 0x80000000 | 0
w6[15] = 40 * 8
const hash = new Int32Array(5)
const v6a = new Int32Array(4)
const v6b = new Int32Array(4)
const B64 = new Uint8Array(64)
for (let i = 0; i < 64; i++)
  B64[i] = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(i)
const ONE = 0x31 // "1", of the "1:" prefix

// Recent IPv4 ids, direct-mapped by a hash of the whole input (so a hit is exact): 2,048 entries
// of ~60 bytes, about twice the flows of a batch.
const CACHE_BITS = 11
const cachedLow = new Int32Array(1 << CACHE_BITS)
const cachedHigh = new Int32Array(1 << CACHE_BITS)
const cachedPorts = new Int32Array(1 << CACHE_BITS)
const cachedProto = new Int32Array(1 << CACHE_BITS)
const cachedId: string[] = new Array<string>(1 << CACHE_BITS).fill('')

// Recent ids by the text of their addresses, checked before the addresses are read: the events
// of a flow repeat its address strings, and comparing two strings costs less than reading their
// digits. Direct-mapped by ports and protocol, which tell most flows apart; a hit is exact (all
// five compared, the strings by value). 2,048 entries, like the cache above.
const textSrc: string[] = new Array<string>(1 << CACHE_BITS).fill('')
const textDst: string[] = new Array<string>(1 << CACHE_BITS).fill('')
const textPorts = new Int32Array(1 << CACHE_BITS)
const textProto = new Int32Array(1 << CACHE_BITS)
const textId: string[] = new Array<string>(1 << CACHE_BITS).fill('')

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
  // Only flows given as 16-bit ports and an 8-bit protocol (all the decoder hashes) are kept.
  if (srcPort !== (srcPort & 0xffff) || dstPort !== (dstPort & 0xffff) || proto !== (proto & 0xff))
    return idOfText(srcIp, dstIp, proto, srcPort, dstPort)
  const ports = (srcPort << 16) | dstPort
  const slot =
    Math.imul(ports ^ (proto << 8) ^ (srcIp.length << 24), 0x27d4eb2d) >>> (32 - CACHE_BITS)
  const cached = textId[slot] as string
  if (
    cached !== '' &&
    textPorts[slot] === ports &&
    textProto[slot] === proto &&
    textSrc[slot] === srcIp &&
    textDst[slot] === dstIp
  )
    return cached
  const id = idOfText(srcIp, dstIp, proto, srcPort, dstPort)
  if (id !== undefined) {
    textSrc[slot] = sourceText
    textDst[slot] = destinationText
    textPorts[slot] = ports
    textProto[slot] = proto
    textId[slot] = id
  }
  return id
}

function idOfText(
  srcIp: string,
  dstIp: string,
  proto: number,
  srcPort: number,
  dstPort: number,
): string | undefined {
  // The first address is read out of the cache before the second may take its entry.
  const familyA = readAddress(srcIp)
  if (familyA === 0) return undefined
  sourceText = addressSeen
  const a = address0
  if (familyA === 6) copyAddress(v6a)
  const familyB = readAddress(dstIp)
  if (familyB !== familyA) return undefined
  destinationText = addressSeen
  if (familyA === 4) return communityIdV4(a, address0, proto, srcPort, dstPort)
  copyAddress(v6b)
  return communityIdV6(v6a, v6b, proto, srcPort, dstPort)
}

// Recent addresses by their text: a host's address recurs across the flows of a batch, and
// comparing its text with a remembered one costs a fraction of reading its digits again.
// Direct-mapped by length and three characters, a hit exact (the strings compared by value);
// 2,048 entries. Only addresses are kept, so a family of 0 marks an empty entry.
const ADDRESS_BITS = 11
const addressText: string[] = new Array<string>(1 << ADDRESS_BITS).fill('')
const addressFamily = new Int8Array(1 << ADDRESS_BITS)
const addressWords = new Int32Array(4 << ADDRESS_BITS)
/**
 * The remembered copy of the text last read by readAddress, and those of the flow last read by
 * idOfText: what the cache by flow keeps. Equal to the text read, but usually from an earlier
 * batch, so keeping it neither holds this batch's strings alive nor records a pointer from the
 * (old) cache to a young string, which the next minor GC would have to copy out.
 */
let addressSeen = ''
let sourceText = ''
let destinationText = ''
/** The words of the address last read by readAddress (IPv4: address0 alone). */
let address0 = 0
let address1 = 0
let address2 = 0
let address3 = 0

/**
 * The family of the address `text` (4 or 6; 0 when it is none), its words left in address0…3:
 * IPv4 as one 32-bit integer, IPv6 as four big-endian words.
 */
function readAddress(text: string): number {
  const length = text.length
  if (length < 2) return 0
  const slot =
    Math.imul(
      length ^
        (text.charCodeAt(length - 1) << 8) ^
        (text.charCodeAt(length - 2) << 16) ^
        (text.charCodeAt(length >> 1) << 24),
      0x9e3779b1,
    ) >>>
    (32 - ADDRESS_BITS)
  const at = slot << 2
  const seen = addressText[slot] as string
  if (seen === text) {
    addressSeen = seen
    address0 = addressWords[at] as number
    address1 = addressWords[at + 1] as number
    address2 = addressWords[at + 2] as number
    address3 = addressWords[at + 3] as number
    return addressFamily[slot] as number
  }
  let family = 0
  const v4 = v4Word(text)
  if (isV4) {
    family = 4
    address0 = v4
    address1 = address2 = address3 = 0
  } else if (v6Words(text, v6read)) {
    family = 6
    address0 = v6read[0] as number
    address1 = v6read[1] as number
    address2 = v6read[2] as number
    address3 = v6read[3] as number
  } else return 0
  addressText[slot] = text
  addressSeen = text
  addressFamily[slot] = family
  addressWords[at] = address0
  addressWords[at + 1] = address1
  addressWords[at + 2] = address2
  addressWords[at + 3] = address3
  return family
}
const v6read = new Int32Array(4)

function copyAddress(out: Int32Array): void {
  out[0] = address0
  out[1] = address1
  out[2] = address2
  out[3] = address3
}

/** Whether the text last read by v4Word was a dotted quad (its result is then the address). */
let isV4 = false

/**
 * A dotted-quad IPv4 address as a 32-bit integer (its bits, sign and all), the same addresses
 * ipv4Number accepts (no leading zeros), and isV4 set to whether it was one. Unlike
 * ipv4Number it stays in 32-bit integers: that one's unsigned result is a double, which the
 * optimizing compiler boxes on every return.
 */
function v4Word(text: string): number {
  isV4 = false
  const length = text.length
  // 1.2.3.4 to 255.255.255.255; an IPv6 address is told apart at its first colon.
  if (length < 7 || length > 15) return 0
  let value = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code === 46) {
      if (digits === 0 || dots === 3) return 0
      value = (value << 8) | part
      part = 0
      digits = 0
      dots++
      continue
    }
    const digit = code - 48
    if (digit < 0 || digit > 9 || (digits > 0 && part === 0)) return 0
    part = part * 10 + digit
    if (part > 255) return 0
    digits++
  }
  if (dots !== 3 || digits === 0) return 0
  isV4 = true
  return (value << 8) | part
}

/** The id of an IPv4 flow, each address as the 32-bit integer v4Word gives. */
function communityIdV4(
  a: number,
  b: number,
  proto: number,
  srcPort: number,
  dstPort: number,
): string {
  let lowIp = a
  let highIp = b
  let lowPort = srcPort
  let highPort = dstPort
  // Unsigned order, compared as signed with the top bit flipped.
  const ua = a ^ 0x80000000
  const ub = b ^ 0x80000000
  if (ua > ub || (ua === ub && srcPort > dstPort)) {
    lowIp = b
    highIp = a
    lowPort = dstPort
    highPort = srcPort
  }
  const ports = ((lowPort & 0xffff) << 16) | (highPort & 0xffff)
  const protoByte = proto & 0xff
  const slot =
    Math.imul(
      lowIp ^ Math.imul(highIp, 0x9e3779b1) ^ Math.imul(ports, 0x85ebca6b) ^ protoByte,
      0x27d4eb2d,
    ) >>>
    (32 - CACHE_BITS)
  const cached = cachedId[slot] as string
  if (
    cached !== '' &&
    cachedLow[slot] === lowIp &&
    cachedHigh[slot] === highIp &&
    cachedPorts[slot] === ports &&
    cachedProto[slot] === protoByte
  )
    return cached
  // seed (2 bytes) · low ip · high ip · proto · 0 · low port · high port = 16 bytes, then the
  // padding bit and the length in bits.
  w4[0] = lowIp >>> 16
  w4[1] = (lowIp << 16) | (highIp >>> 16)
  w4[2] = (highIp << 16) | (protoByte << 8)
  w4[3] = ports
  const id = digest(w4)
  cachedLow[slot] = lowIp
  cachedHigh[slot] = highIp
  cachedPorts[slot] = ports
  cachedProto[slot] = protoByte
  cachedId[slot] = id
  return id
}

/** The id of an IPv6 flow, each address as four big-endian 32-bit words. */
function communityIdV6(
  a: Int32Array,
  b: Int32Array,
  proto: number,
  srcPort: number,
  dstPort: number,
): string {
  let order = 0
  for (let i = 0; i < 4 && order === 0; i++)
    order = ((a[i] as number) >>> 0) - ((b[i] as number) >>> 0)
  const swap = order > 0 || (order === 0 && srcPort > dstPort)
  const low = swap ? b : a
  const high = swap ? a : b
  const lowPort = (swap ? dstPort : srcPort) & 0xffff
  const highPort = (swap ? srcPort : dstPort) & 0xffff
  // seed (2 bytes) · low ip (16) · high ip (16) · proto · 0 · ports = 40 bytes: every word is
  // shifted by the 2-byte seed.
  let carry = 0
  for (let i = 0; i < 4; i++) {
    const word = low[i] as number
    w6[i] = carry | (word >>> 16)
    carry = word << 16
  }
  for (let i = 0; i < 4; i++) {
    const word = high[i] as number
    w6[4 + i] = carry | (word >>> 16)
    carry = word << 16
  }
  w6[8] = carry | ((proto & 0xff) << 8)
  w6[9] = (lowPort << 16) | highPort
  return digest(w6)
}

// IPv6 text as four 32-bit words. An IPv4-mapped address (::ffff:a.b.c.d) stays IPv6 here: the
// sensor hashes the 16 bytes it saw on the wire. Hex groups and `::` are read here; a dotted
// tail or a zone goes through parseIp.
const groups = new Int32Array(8)
function v6Words(text: string, out: Int32Array): boolean {
  const length = text.length
  let count = 0
  let gap = -1
  let value = 0
  let digits = 0
  let i = 0
  if (length < 2) return false
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) return false
    gap = 0
    i = 2
  }
  for (; i < length; i++) {
    const c = text.charCodeAt(i)
    if (c === 58) {
      if (digits === 0) {
        // A second colon in a row: the one `::` an address may have.
        if (gap >= 0) return false
        gap = count
        continue
      }
      if (count === 8) return false
      groups[count++] = value
      value = 0
      digits = 0
      continue
    }
    const digit =
      c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1
    if (digit < 0) return c === 46 || c === 37 ? v6WordsParsed(text, out) : false
    if (++digits > 4) return false
    value = value * 16 + digit
  }
  if (digits > 0) {
    if (count === 8) return false
    groups[count++] = value
  } else if (gap !== count) return false // ends in one colon
  if (gap < 0 ? count !== 8 : count > 7) return false
  const fill = gap < 0 ? 0 : 8 - count
  for (let word = 0, from = 0; word < 8; word++) {
    const inGap = gap >= 0 && word >= gap && word < gap + fill
    const group = inGap ? 0 : (groups[from++] as number)
    if (word % 2 === 0) out[word >> 1] = group << 16
    else out[word >> 1] = (out[word >> 1] as number) | group
  }
  return true
}

function v6WordsParsed(text: string, out: Int32Array): boolean {
  if (!text.includes(':')) return false
  const parsed = parseIp(text)
  if (parsed === undefined) return false
  const words = parsed.v === 6 ? parsed.words : [0, 0, 0, 0, 0, 0xffff, ...parsed.words]
  for (let i = 0; i < 4; i++)
    out[i] = ((words[2 * i] as number) << 16) | (words[2 * i + 1] as number)
  return true
}

/** SHA-1 of the one block `block`, as `1:` + base64 of its 20 bytes. */
function digest(block: Int32Array): string {
  sha1Block(block, hash)
  const a = hash[0] as number
  const b = hash[1] as number
  const c = hash[2] as number
  const d = hash[3] as number
  const e = hash[4] as number
  // 20 bytes = six 24-bit groups (four digits each) and 16 bits (three digits and the padding),
  // spelled out: a loop into an array and fromCharCode.apply measured 1.5x slower per id.
  const g0 = a >>> 8
  const g1 = ((a & 0xff) << 16) | (b >>> 16)
  const g2 = ((b & 0xffff) << 8) | (c >>> 24)
  const g3 = c & 0xffffff
  const g4 = d >>> 8
  const g5 = ((d & 0xff) << 16) | (e >>> 16)
  const g6 = (e & 0xffff) << 2
  return String.fromCharCode(
    ONE,
    0x3a,
    B64[g0 >>> 18] as number,
    B64[(g0 >>> 12) & 63] as number,
    B64[(g0 >>> 6) & 63] as number,
    B64[g0 & 63] as number,
    B64[g1 >>> 18] as number,
    B64[(g1 >>> 12) & 63] as number,
    B64[(g1 >>> 6) & 63] as number,
    B64[g1 & 63] as number,
    B64[g2 >>> 18] as number,
    B64[(g2 >>> 12) & 63] as number,
    B64[(g2 >>> 6) & 63] as number,
    B64[g2 & 63] as number,
    B64[g3 >>> 18] as number,
    B64[(g3 >>> 12) & 63] as number,
    B64[(g3 >>> 6) & 63] as number,
    B64[g3 & 63] as number,
    B64[g4 >>> 18] as number,
    B64[(g4 >>> 12) & 63] as number,
    B64[(g4 >>> 6) & 63] as number,
    B64[g4 & 63] as number,
    B64[g5 >>> 18] as number,
    B64[(g5 >>> 12) & 63] as number,
    B64[(g5 >>> 6) & 63] as number,
    B64[g5 & 63] as number,
    B64[g6 >>> 12] as number,
    B64[(g6 >>> 6) & 63] as number,
    B64[g6 & 63] as number,
    0x3d,
  )
}
