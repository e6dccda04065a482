/**
 * The patches of a frame template (frame-template.ts) and how they are made: "write the tile's
 * address for slot s at offset o", and "write a checksum at offset o" precomputed as a partial sum
 * of everything that does not change, so that a copy only adds the sums of its new addresses (and
 * the values of inner checksums written before it, for ICMP errors):
 * - covered bytes that are all there get a fresh checksum (correct even where the capture had a
 *   wrong one, as captures taken on the sending host do);
 * - otherwise the original checksum is updated for the new addresses (RFC 1624).
 * Encoding: [PATCH_ADDRESS, offset, slot] or
 * [PATCH_CHECKSUM, offset, base, mode, n, slot ref…, m, dependency offset…].
 */
import { fold, negated, wordSum } from './checksum.ts'

export const PATCH_ADDRESS = 0
export const PATCH_CHECKSUM = 1
/** Checksum mode: UDP writes 0xffff for a computed 0, since 0 means "no checksum". */
export const MODE_PLAIN = 0
export const MODE_UDP = 1

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

export type PatchContext = { frame: Uint8Array; patches: number[]; slots: AddressSlots }

export function addAddress(c: PatchContext, at: number, length: number): number | undefined {
  if (at + length > c.frame.length) return undefined
  const slot = c.slots.slotOf(c.frame.subarray(at, at + length))
  c.patches.push(PATCH_ADDRESS, at, slot)
  return slot
}

export type Inner = { addressAt: number[]; addressSlots: number[]; checksumAt: number[] }

/** The patches added since index `from`: what an enclosing checksum must account for. */
export function innerSince(c: PatchContext, from: number): Inner {
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

export type ChecksumSpec = {
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

export function addChecksum(c: PatchContext, k: ChecksumSpec): void {
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

export const NO_INNER: Inner = { addressAt: [], addressSlots: [], checksumAt: [] }
