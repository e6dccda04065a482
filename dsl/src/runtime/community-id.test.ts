import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { communityIdV1 } from './community-id.ts'
import { parseIp } from './ip-address.ts'

// Reference: the spec's algorithm written plainly with Node's SHA-1.
function reference(a: number[], b: number[], proto: number, sp: number, dp: number): string {
  const swap =
    Buffer.compare(Buffer.from(a), Buffer.from(b)) > 0 || (String(a) === String(b) && sp > dp)
  const [ip1, p1, ip2, p2] = swap ? [b, dp, a, sp] : [a, sp, b, dp]
  const buf = Buffer.concat([
    Buffer.from([0, 0]),
    Buffer.from(ip1),
    Buffer.from(ip2),
    Buffer.from([proto, 0, p1 >> 8, p1 & 0xff, p2 >> 8, p2 & 0xff]),
  ])
  return `1:${createHash('sha1').update(buf).digest('base64')}`
}

const v6Text = (bytes: number[]) =>
  Array.from({ length: 8 }, (_, i) =>
    (((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0)).toString(16),
  ).join(':')

/** The address with its longest run (of two or more) of zero words written as `::`. */
function compressed(bytes: number[]): string {
  const words = Array.from(
    { length: 8 },
    (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0),
  )
  let best = -1
  let bestLength = 1
  for (let i = 0; i < 8; i++) {
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLength) {
      best = i
      bestLength = j - i
    }
  }
  const hex = (ws: number[]) => ws.map((w) => w.toString(16)).join(':')
  if (best < 0) return hex(words)
  return `${hex(words.slice(0, best))}::${hex(words.slice(best + bestLength))}`
}

describe('communityIdV1', () => {
  it('gives the spec baseline vectors (seed 0)', () => {
    expect(communityIdV1('1.2.3.4', '5.6.7.8', 6, 1122, 3344)).toBe(
      '1:wCb3OG7yAFWelaUydu0D+125CLM=',
    )
    expect(communityIdV1('5.6.7.8', '1.2.3.4', 6, 3344, 1122)).toBe(
      '1:wCb3OG7yAFWelaUydu0D+125CLM=',
    )
    expect(communityIdV1('1.2.3.4', '5.6.7.8', 17, 1122, 3344)).toBe(
      '1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=',
    )
    expect(communityIdV1('5.6.7.8', '1.2.3.4', 17, 3344, 1122)).toBe(
      '1:0Mu9InQx6z4ZiCZM/7HXi2WMhOg=',
    )
    expect(communityIdV1('1.2.3.4', '5.6.7.8', 132, 1122, 3344)).toBe(
      '1:EKt4MsxuyaE6mL+hmrEkQ9csDD8=',
    )
  })

  it('matches the plain algorithm on random IPv4 and IPv6 flows, both directions', () => {
    const port = fc.integer({ min: 0, max: 65535 })
    const proto = fc.constantFrom(6, 17, 132)
    fc.assert(
      fc.property(
        fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }),
        fc.array(fc.nat(255), { minLength: 4, maxLength: 4 }),
        proto,
        port,
        port,
        (a, b, p, sp, dp) => {
          const id = reference(a, b, p, sp, dp)
          expect(communityIdV1(a.join('.'), b.join('.'), p, sp, dp)).toBe(id)
          expect(communityIdV1(b.join('.'), a.join('.'), p, dp, sp)).toBe(id)
        },
      ),
      { numRuns: 2000 },
    )
    fc.assert(
      fc.property(
        fc.array(fc.nat(255), { minLength: 16, maxLength: 16 }),
        fc.array(fc.nat(255), { minLength: 16, maxLength: 16 }),
        proto,
        port,
        port,
        (a, b, p, sp, dp) => {
          expect(communityIdV1(v6Text(a), v6Text(b), p, sp, dp)).toBe(reference(a, b, p, sp, dp))
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('reads every spelling of an IPv6 address: compressed, upper case, dotted tail', () => {
    // Runs of zero bytes, so `::` compression has something to take.
    const byte = fc.oneof(fc.constant(0), fc.constant(0), fc.nat(255))
    const bytes = fc.array(byte, { minLength: 16, maxLength: 16 })
    fc.assert(
      fc.property(bytes, bytes, fc.boolean(), fc.boolean(), (a, b, upper, dotted) => {
        const spell = (x: number[]) => {
          // dotted: six hex words, then the last 32 bits as a dotted quad (as in ::ffff:1.2.3.4)
          const text = dotted
            ? `${v6Text(x).split(':').slice(0, 6).join(':')}:${x.slice(12).join('.')}`
            : compressed(x)
          return upper ? text.toUpperCase() : text
        }
        expect(communityIdV1(spell(a), spell(b), 6, 1, 2)).toBe(reference(a, b, 6, 1, 2))
      }),
      { numRuns: 2000 },
    )
  })

  it('takes as IPv6 exactly the text parseIp reads as IPv6, with the same 16 bytes', () => {
    const text = fc
      .array(
        fc.constantFrom(
          '0',
          '1',
          'a',
          'F',
          'ff',
          'ffff',
          '12345',
          ':',
          ':',
          '::',
          '.',
          '1.2.3.4',
          '%1',
        ),
        {
          maxLength: 12,
        },
      )
      .map((pieces) => pieces.join(''))
    fc.assert(
      fc.property(text, (address) => {
        const parsed = address.includes(':') ? parseIp(address) : undefined
        const id = communityIdV1(address, '::1', 6, 1, 2)
        if (parsed === undefined) {
          expect(id).toBeUndefined()
          return
        }
        const words = parsed.v === 6 ? parsed.words : [0, 0, 0, 0, 0, 0xffff, ...parsed.words]
        const bytes = words.flatMap((word) => [word >> 8, word & 0xff])
        expect(id).toBe(reference(bytes, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 6, 1, 2))
      }),
      { numRuns: 5000 },
    )
  })

  it('remembers ids without mixing flows up: the same flow again, and many flows in a row', () => {
    const port = fc.integer({ min: 0, max: 65535 })
    const ip = fc.array(fc.nat(255), { minLength: 4, maxLength: 4 })
    // Few distinct addresses and ports, so flows repeat and near-identical ones meet in the cache.
    const near = fc.record({
      a: fc.oneof(ip, fc.constant<number[]>([10, 0, 0, 1])),
      b: fc.oneof(ip, fc.constant<number[]>([10, 0, 0, 2])),
      p: fc.constantFrom(6, 17, 132),
      sp: fc.oneof(port, fc.constantFrom(53, 443)),
      dp: fc.oneof(port, fc.constantFrom(53, 443)),
    })
    fc.assert(
      fc.property(fc.array(near, { minLength: 1, maxLength: 300 }), (flows) => {
        for (const { a, b, p, sp, dp } of [...flows, ...flows.slice().reverse()]) {
          expect(communityIdV1(a.join('.'), b.join('.'), p, sp, dp)).toBe(
            reference(a, b, p, sp, dp),
          )
        }
      }),
      { numRuns: 200 },
    )
  })

  it('tells apart flows of the same ports and protocol by the text of their addresses', () => {
    // Same ports, protocol and address lengths: one slot of the cache by text, met in turn.
    const pairs: [string, string][] = [
      ['10.0.0.1', '10.0.0.2'],
      ['10.0.0.3', '10.0.0.2'],
      ['10.0.0.1', '10.0.0.4'],
      ['fd00::1', 'fd00::2'],
      ['fd00::1', 'fd00::3'],
    ]
    const bytes = (text: string) =>
      (parseIp(text)?.words ?? []).flatMap((word) => [word >> 8, word & 0xff])
    for (let round = 0; round < 2; round++)
      for (const [a, b] of pairs)
        expect(communityIdV1(a, b, 6, 5000, 443)).toBe(reference(bytes(a), bytes(b), 6, 5000, 443))
    // Each side's text is the one remembered for it: a flow from a host to itself, under the
    // ports of a flow just remembered from or to that host, is not taken for that flow.
    for (const [a, b] of pairs) {
      expect(communityIdV1(a, b, 6, 7000, 80)).toBe(reference(bytes(a), bytes(b), 6, 7000, 80))
      for (const self of [a, b])
        expect(communityIdV1(self, self, 6, 7000, 80)).toBe(
          reference(bytes(self), bytes(self), 6, 7000, 80),
        )
    }
    // A pair that is refused is refused again, whatever was hashed under its ports before.
    expect(communityIdV1('10.0.0.1', '10.0.0.2', 17, 53, 53)).toBeDefined()
    expect(communityIdV1('10.0.0.1', '10.0.0.', 17, 53, 53)).toBeUndefined()
    expect(communityIdV1('10.0.0.1', '10.0.0.', 17, 53, 53)).toBeUndefined()
  })

  it('remembers addresses without mixing them up: thousands of hosts of both families, met again', () => {
    // More addresses than the caches hold (2,048 entries each), so entries are taken over; and
    // every pair meets twice, in both orders, so two addresses of one entry also meet in a flow.
    let state = 12345
    const next = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0
      return state
    }
    const hosts: number[][] = []
    for (let i = 0; i < 3000; i++) {
      const v6 = next() % 4 === 0
      const bytes = Array.from({ length: v6 ? 16 : 4 }, () => (next() >>> 8) & 0xff)
      // IPv4-mapped IPv6 text and zero runs too: other spellings, other lengths.
      if (v6 && i % 3 === 0) bytes.splice(0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff)
      hosts.push(bytes)
    }
    const text = (bytes: number[]) => (bytes.length === 4 ? bytes.join('.') : compressed(bytes))
    const pairs: [number[], number[]][] = []
    for (let i = 0; i < 12000; i++)
      pairs.push([
        hosts[next() % hosts.length] as number[],
        hosts[next() % hosts.length] as number[],
      ])
    for (const [a, b] of [...pairs, ...pairs.map(([a, b]) => [b, a] as const)]) {
      const id = communityIdV1(text(a), text(b), 6, 40000, 443)
      if (a.length !== b.length) expect(id).toBeUndefined()
      else expect(id).toBe(reference(a, b, 6, 40000, 443))
    }
    // Addresses spelled alike but for a character inside (same length and ends), on both sides
    // of one flow: likely one entry of a cache by text, so the second read replaces the first.
    const bytes = (t: string) => (parseIp(t)?.words ?? []).flatMap((w) => [w >> 8, w & 0xff])
    for (const [a, b] of [
      ['2001:db8::1:1', '2001:db9::1:1'],
      ['10.1.0.25', '10.2.0.25'],
      ['2001:db9::1:1', '2001:db8::1:1'],
    ] as const)
      expect(communityIdV1(a, b, 17, 5353, 5353)).toBe(
        reference(bytes(a), bytes(b), 17, 5353, 5353),
      )
  })

  it('equal addresses are ordered by port', () => {
    expect(communityIdV1('10.0.0.1', '10.0.0.1', 6, 80, 1234)).toBe(
      reference([10, 0, 0, 1], [10, 0, 0, 1], 6, 80, 1234),
    )
  })

  it('hashes an IPv4-mapped IPv6 address as the 16 bytes it is', () => {
    const mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]
    const other = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    expect(communityIdV1('::ffff:1.2.3.4', '2001:db8::1', 6, 1, 2)).toBe(
      reference(mapped, other, 6, 1, 2),
    )
  })

  it('refuses what is not an address pair of one family', () => {
    expect(communityIdV1('1.2.3', '5.6.7.8', 6, 1, 2)).toBeUndefined()
    expect(communityIdV1('1.2.3.4', 'x', 6, 1, 2)).toBeUndefined()
    expect(communityIdV1('1.2.3.4', '::1', 6, 1, 2)).toBeUndefined()
    expect(communityIdV1('::1', '1.2.3.4', 6, 1, 2)).toBeUndefined()
    for (const bad of [
      ':',
      ':::',
      ':1::2',
      '1::2::3',
      '1:2:3:4:5:6:7',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7:8::',
      '::1:2:3:4:5:6:7:8',
      '12345::1',
      '1:',
      'fe80::g',
      '::ffff:1.2.3',
    ])
      expect(communityIdV1(bad, '::1', 6, 1, 2), bad).toBeUndefined()
  })
})
