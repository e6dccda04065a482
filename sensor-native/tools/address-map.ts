/**
 * Fresh addresses for one tile of a generated capture: every original address maps to a new one
 * of the same kind, the same original always to the same new one within the tile, two originals
 * never to one. Structure is kept where sensors look at it:
 * - IPv4 keeps its block (10/8, 172.16/12, 192.168/16, 100.64/10, 169.254/16 stay internal, the
 *   rest becomes other public addresses) and its /24: a network maps to one new network and the
 *   host byte stays, so gateways, broadcasts and neighbours stay what they were.
 * - IPv6 keeps its scope (link-local, ULA, global): the /64 prefix maps to a new one of the same
 *   scope, the interface id to a new one shared by all prefixes (SLAAC pairs stay pairs).
 * Addresses that name no host (unspecified, loopback, multicast, broadcast, reserved, IPv4-mapped)
 * are kept as they are.
 */
import type { Random } from './seeded-random.ts'

type Block = { net: number; bits: number }

const V4_KEPT: Block[] = [
  { net: 0x00000000, bits: 8 }, // this network
  { net: 0x7f000000, bits: 8 }, // loopback
  { net: 0xe0000000, bits: 4 }, // multicast
  { net: 0xf0000000, bits: 4 }, // reserved and limited broadcast
]
const V4_INTERNAL: Block[] = [
  { net: 0x0a000000, bits: 8 },
  { net: 0xac100000, bits: 12 },
  { net: 0xc0a80000, bits: 16 },
  { net: 0x64400000, bits: 10 },
  { net: 0xa9fe0000, bits: 16 },
]
/** Not drawn as new public addresses: special-purpose ranges a reader might take for something. */
const V4_NOT_PUBLIC: Block[] = [
  ...V4_KEPT,
  ...V4_INTERNAL,
  { net: 0xc0000000, bits: 24 }, // IETF protocol assignments
  { net: 0xc0000200, bits: 24 }, // documentation
  { net: 0xc6336400, bits: 24 },
  { net: 0xcb007100, bits: 24 },
  { net: 0xc6120000, bits: 15 }, // benchmarking
]

const inBlock = (ip: number, b: Block) =>
  b.bits === 0 || ip >>> (32 - b.bits) === b.net >>> (32 - b.bits)

/** An IPv4 address (as uint32) that a generated capture may use for a public host. */
export function isPublicIpv4(ip: number): boolean {
  return !V4_NOT_PUBLIC.some((b) => inBlock(ip >>> 0, b))
}

export type AddressMapper = { map(address: Uint8Array): Uint8Array }

export function addressMapper(random: Random): AddressMapper {
  const cache = new Map<string, Uint8Array>()
  const v4Nets = new Map<number, number>()
  const v4Used = new Set<number>()
  const v6Prefixes = new Map<string, Uint8Array>()
  const v6Iids = new Map<string, Uint8Array>()
  const used = new Set<string>()

  /** Draws until a value not used yet comes (gives up after many tries: keeps the original). */
  const unique = <T>(draw: () => T, key: (v: T) => string, original: T): T => {
    for (let i = 0; i < 1000; i++) {
      const v = draw()
      if (!used.has(key(v))) {
        used.add(key(v))
        return v
      }
    }
    return original
  }

  const mapV4 = (a: Uint8Array): Uint8Array => {
    const ip =
      ((a[0] as number) << 24) |
      ((a[1] as number) << 16) |
      ((a[2] as number) << 8) |
      (a[3] as number)
    const u = ip >>> 0
    if (V4_KEPT.some((b) => inBlock(u, b))) return a
    const net = u >>> 8
    let fresh = v4Nets.get(net)
    if (fresh === undefined) {
      const block = V4_INTERNAL.find((b) => inBlock(u, b))
      const draw = block
        ? () => ((block.net >>> 8) | random.below(2 ** (24 - block.bits))) >>> 0
        : () => {
            for (;;) {
              const candidate = random.u32()
              if (isPublicIpv4(candidate)) return candidate >>> 8
            }
          }
      fresh = net
      for (let i = 0; i < 1000; i++) {
        const v = draw()
        if (!v4Used.has(v)) {
          fresh = v
          break
        }
      }
      v4Used.add(fresh)
      v4Nets.set(net, fresh)
    }
    return Uint8Array.of(fresh >>> 16, (fresh >>> 8) & 0xff, fresh & 0xff, a[3] as number)
  }

  const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => random.below(256))
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

  const mapV6 = (a: Uint8Array): Uint8Array => {
    const first = a[0] as number
    const upper96Zero = a.subarray(0, 12).every((x) => x === 0)
    const mapped = a.subarray(0, 10).every((x) => x === 0) && a[10] === 0xff && a[11] === 0xff
    if (first === 0xff || upper96Zero || mapped) return a // multicast, ::, ::1, IPv4-compatible/mapped
    const linkLocal = first === 0xfe && ((a[1] as number) & 0xc0) === 0x80
    const ula = (first & 0xfe) === 0xfc
    const prefixKey = hex(a.subarray(0, 8))
    let prefix = linkLocal ? a.subarray(0, 8) : v6Prefixes.get(prefixKey)
    if (prefix === undefined) {
      const draw = () => {
        const p = randomBytes(8)
        if (ula) p[0] = first
        else p[0] = 0x20 | ((p[0] as number) & 0x1f) // 2000::/3
        return p
      }
      prefix = unique(draw, (p) => `p${hex(p)}`, a.subarray(0, 8))
      v6Prefixes.set(prefixKey, prefix)
    }
    const iidKey = hex(a.subarray(8))
    let iid = v6Iids.get(iidKey)
    if (iid === undefined) {
      // small ids (::1, ::2, …) are chosen by people for routers and servers: they stay
      const small = a.subarray(8, 14).every((x) => x === 0)
      iid = small
        ? a.subarray(8)
        : unique(
            () => randomBytes(8),
            (i) => `i${hex(i)}`,
            a.subarray(8),
          )
      v6Iids.set(iidKey, iid)
    }
    const out = new Uint8Array(16)
    out.set(prefix, 0)
    out.set(iid, 8)
    return out
  }

  return {
    map(address) {
      const key = hex(address)
      let out = cache.get(key)
      if (out === undefined) {
        out = address.length === 4 ? mapV4(address) : mapV6(address)
        cache.set(key, out)
      }
      return out
    },
  }
}
