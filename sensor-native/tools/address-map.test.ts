import { isIPv4 } from 'node:net'
import { describe, expect, it } from 'vitest'
import { addressMapper } from './address-map.ts'
import { seededRandom } from './seeded-random.ts'

const v4 = (s: string) => Uint8Array.from(s.split('.').map(Number))
const str4 = (b: Uint8Array) => [...b].join('.')
const v6 = (s: string) => {
  const [head = '', tail = ''] = s.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const words = s.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h
  return Uint8Array.from(
    words.flatMap((w) => [Number.parseInt(w, 16) >> 8, Number.parseInt(w, 16) & 0xff]),
  )
}
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

const mapper = (seed = 1) => addressMapper(seededRandom(seed, 'test'))

describe('IPv4', () => {
  it('keeps private addresses in their block and the host byte, one network to one network', () => {
    const m = mapper()
    const a = str4(m.map(v4('192.168.1.10')))
    const b = str4(m.map(v4('192.168.1.255')))
    const c = str4(m.map(v4('192.168.2.10')))
    expect(a).toMatch(/^192\.168\.\d+\.10$/)
    expect(b.split('.').slice(0, 3)).toEqual(a.split('.').slice(0, 3))
    expect(b.endsWith('.255')).toBe(true)
    expect(c.split('.').slice(0, 3)).not.toEqual(a.split('.').slice(0, 3))
    expect(str4(m.map(v4('10.1.2.3')))).toMatch(/^10\./)
    const n172 = m.map(v4('172.20.0.1'))
    expect(n172[0] === 172 && (n172[1] as number) >= 16 && (n172[1] as number) < 32).toBe(true)
  })

  it('gives public addresses other public addresses', () => {
    const m = mapper()
    for (const ip of ['8.8.8.8', '203.0.113.9', '130.211.223.103']) {
      const out = m.map(v4(ip))
      expect(isIPv4(str4(out))).toBe(true)
      expect([10, 127, 0].includes(out[0] as number) || (out[0] as number) >= 224).toBe(false)
      expect(str4(out)).not.toBe(ip)
    }
  })

  it('keeps addresses that name no host', () => {
    const m = mapper()
    for (const ip of ['255.255.255.255', '224.0.0.251', '127.0.0.1', '0.0.0.0'])
      expect(str4(m.map(v4(ip)))).toBe(ip)
  })

  it('is consistent within a tile, injective, and seeded', () => {
    const m = mapper()
    expect(hex(m.map(v4('8.8.8.8')))).toBe(hex(m.map(v4('8.8.8.8'))))
    const outs = new Set(
      Array.from({ length: 2000 }, (_, i) => hex(m.map(v4(`10.${i >> 8}.${i & 255}.1`)))),
    )
    expect(outs.size).toBe(2000)
    expect(hex(mapper(1).map(v4('8.8.8.8')))).toBe(hex(mapper(1).map(v4('8.8.8.8'))))
    expect(hex(mapper(1).map(v4('8.8.8.8')))).not.toBe(hex(mapper(2).map(v4('8.8.8.8'))))
  })
})

describe('IPv6', () => {
  it('keeps the scope, maps the prefix and shares the interface id across prefixes', () => {
    const m = mapper()
    const ll = m.map(v6('fe80::b9a3:aa8f:3e8e:fe86'))
    const global = m.map(v6('2001:db8:1:2:b9a3:aa8f:3e8e:fe86'))
    const ula = m.map(v6('fd12:3456:789a:1::5:6:7'))
    expect(hex(ll).slice(0, 16)).toBe('fe80000000000000')
    expect(hex(ll).slice(16)).toBe(hex(global).slice(16))
    expect(hex(ll).slice(16)).not.toBe('b9a3aa8f3e8efe86')
    expect((global[0] as number) >> 5).toBe(1) // 2000::/3
    expect(ula[0]).toBe(0xfd)
  })

  it('keeps multicast, loopback and small interface ids', () => {
    const m = mapper()
    expect(hex(m.map(v6('ff02::fb')))).toBe(hex(v6('ff02::fb')))
    expect(hex(m.map(v6('::1')))).toBe(hex(v6('::1')))
    expect(hex(m.map(v6('2001:db8::1'))).slice(16)).toBe('0000000000000001')
  })
})
