import { describe, expect, it } from 'vitest'
import { checksumOf, fold, wordSum } from './checksum.ts'
import { dnsAnswer } from './dns-wire.ts'
import { applyPatches } from './frame-patch.ts'
import { frameTemplate } from './frame-template.ts'
import { tcpFrameLength, udpFrameLength, writeTcp, writeUdp } from './packet-build.ts'
import { addressSlots } from './patch-list.ts'
import { seededRandom } from './seeded-random.ts'
import { tileAddresses } from './tile-addresses.ts'

const ip = (s: string) => s.split('.').reduce((n, x) => n * 256 + Number(x), 0)

/** A DNS response from 8.8.8.8 to 10.0.0.5 answering `name` with 93.184.216.34. */
function response(name: string): Uint8Array {
  const payload = dnsAnswer(0x1234, name, ip('93.184.216.34'))
  const frame = new Uint8Array(udpFrameLength(payload.length))
  const e = { src: ip('8.8.8.8'), dst: ip('10.0.0.5'), sport: 53, dport: 40000, toServer: false }
  writeUdp(frame, 0, e, payload, 1)
  return frame
}

function udpChecksumHolds(frame: Uint8Array): boolean {
  const length = frame.length - 34
  const pseudo = wordSum(frame, 26, 34) + 17 + length
  return checksumOf(pseudo + wordSum(frame, 34, frame.length)) === 0
}

describe('a rewritten DNS response', () => {
  // name lengths that put the answer's address at an even and at an odd offset in the UDP payload
  it.each(['ab.example', 'abc.example'])(
    'answers with a tile address and keeps its checksum (%s)',
    (name) => {
      const original = response(name)
      expect(udpChecksumHolds(original)).toBe(true)
      const slots = addressSlots()
      const template = frameTemplate(
        { linktype: 1, tsUs: 0, data: original, origLen: original.length },
        slots,
      )
      if (!template) throw new Error('no template')
      const tile = tileAddresses(slots, seededRandom(1, 'tile'))
      const copy = Uint8Array.from(template.frame)
      applyPatches(copy, 0, template.patches, tile)
      const answer = [...copy.subarray(copy.length - 4)].join('.')
      expect(answer).not.toBe('93.184.216.34')
      expect(slots.addresses.map((a) => [...a].join('.'))).toContain('93.184.216.34')
      expect(udpChecksumHolds(copy)).toBe(true)
      expect(fold(wordSum(copy, 14, 34))).toBe(0xffff) // the IPv4 header checksum too
    },
  )
})

/** A TCP segment 10.0.0.5:40000 → 93.184.216.34:80 with `n` payload bytes, checksums right. */
function tcpSegment(n: number): Uint8Array {
  const payload = Uint8Array.from({ length: n }, (_, i) => (i * 7) & 0xff)
  const frame = new Uint8Array(tcpFrameLength(n))
  const e = {
    src: ip('10.0.0.5'),
    dst: ip('93.184.216.34'),
    sport: 40000,
    dport: 80,
    toServer: true,
  }
  writeTcp(frame, 0, e, { seq: 1, ack: 1, flags: 0x18, payload }, 7)
  return frame
}

/** The TCP checksum a packet should carry, computed over all of it. */
function tcpChecksumOf(frame: Uint8Array): number {
  const copy = Uint8Array.from(frame)
  copy[50] = 0
  copy[51] = 0
  const length = frame.length - 34
  return checksumOf(wordSum(copy, 26, 34) + 6 + length + wordSum(copy, 34, frame.length))
}

/** Rewrites `data` (maybe a cut copy of a packet) with a fresh tile, as the generator does. */
function rewrite(data: Uint8Array, origLen: number): Uint8Array {
  const slots = addressSlots()
  const template = frameTemplate({ linktype: 1, tsUs: 0, data, origLen }, slots)
  if (!template) throw new Error('no template')
  const copy = Uint8Array.from(template.frame)
  applyPatches(copy, 0, template.patches, tileAddresses(slots, seededRandom(5, 'tile')))
  return copy
}

describe('packets a checksum cannot be recomputed for', () => {
  it('a segment the capture cut short gets its checksum updated for the new addresses', () => {
    const full = tcpSegment(600)
    const cut = rewrite(full.subarray(0, 100), full.length)
    // the same addresses on the whole packet: the updated checksum is what the whole needs
    const whole = Uint8Array.from(full)
    whole.set(cut.subarray(26, 34), 26)
    expect(cut.subarray(26, 34)).not.toEqual(full.subarray(26, 34))
    expect((cut[50] as number) * 256 + (cut[51] as number)).toBe(tcpChecksumOf(whole))
    expect(fold(wordSum(cut, 14, 34))).toBe(0xffff)
  })

  it('a first fragment gets its transport checksum updated (it covers the whole datagram)', () => {
    const full = tcpSegment(600)
    const fragment = Uint8Array.from(full.subarray(0, 34 + 200))
    fragment[16] = 0 // total length 220: header and the first 200 bytes
    fragment[17] = 220
    fragment[20] = 0x20 // more fragments
    fragment[24] = 0
    fragment[25] = 0
    const header = checksumOf(wordSum(fragment, 14, 34))
    fragment[24] = header >> 8
    fragment[25] = header & 0xff
    const out = rewrite(fragment, fragment.length)
    const whole = Uint8Array.from(full)
    whole.set(out.subarray(26, 34), 26)
    expect((out[50] as number) * 256 + (out[51] as number)).toBe(tcpChecksumOf(whole))
    expect(fold(wordSum(out, 14, 34))).toBe(0xffff)
  })
})

describe('an ICMPv6 error', () => {
  const v6 = (last: number, prefix: number) =>
    Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, prefix, ...Array(9).fill(0), last])
  const router = v6(1, 9)
  const host = Uint8Array.from([
    0xfd, 0, 0, 0, 0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
  ])
  const server = v6(0x53, 7)

  /** IPv6 header + payload with the given next header and addresses. */
  const ipv6 = (src: Uint8Array, dst: Uint8Array, next: number, payload: number[]) => [
    0x60,
    0,
    0,
    0,
    payload.length >> 8,
    payload.length & 0xff,
    next,
    64,
    ...src,
    ...dst,
    ...payload,
  ]
  const pseudo = (b: Uint8Array, at: number, next: number, length: number) =>
    wordSum(b, at + 8, at + 40) + next + length

  /** Router → host: "port unreachable" quoting the host's UDP packet to the server. */
  function icmpError(): Uint8Array {
    const udp = [
      40000 >> 8,
      40000 & 0xff,
      0,
      53,
      0,
      28,
      0,
      0,
      ...Array.from({ length: 20 }, (_, i) => i),
    ]
    const quoted = Uint8Array.from(ipv6(host, server, 17, udp))
    const u = checksumOf(pseudo(quoted, 0, 17, 28) + wordSum(quoted, 40, 68))
    quoted[46] = u >> 8
    quoted[47] = u & 0xff
    const icmp = [1, 4, 0, 0, 0, 0, 0, 0, ...quoted]
    const frame = Uint8Array.from([
      ...Array(12).fill(2),
      0x86,
      0xdd,
      ...ipv6(router, host, 58, icmp),
    ])
    const c = checksumOf(pseudo(frame, 14, 58, icmp.length) + wordSum(frame, 54, frame.length))
    frame[56] = c >> 8
    frame[57] = c & 0xff
    return frame
  }

  it('quotes the rewritten addresses and keeps both checksums right', () => {
    const original = icmpError()
    expect(
      checksumOf(
        pseudo(original, 14, 58, original.length - 54) + wordSum(original, 54, original.length),
      ),
    ).toBe(0)
    const out = rewrite(original, original.length)
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
    const [outerDst, innerSrc] = [out.subarray(38, 54), out.subarray(62 + 8, 62 + 24)]
    expect(hex(outerDst)).toBe(hex(innerSrc)) // the host is one host, inside and out
    expect(hex(outerDst)).not.toBe(hex(host))
    expect(checksumOf(pseudo(out, 14, 58, out.length - 54) + wordSum(out, 54, out.length))).toBe(0)
    const inner = out.subarray(62)
    expect(checksumOf(pseudo(inner, 0, 17, 28) + wordSum(inner, 40, 68))).toBe(0)
  })
})
