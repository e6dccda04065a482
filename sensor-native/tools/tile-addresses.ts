/** One tile's fresh addresses for every address slot of its source capture. */
import { addressMapper } from './address-map.ts'
import { fold, wordSum } from './checksum.ts'
import type { TileAddresses } from './frame-patch.ts'
import type { AddressSlots } from './patch-list.ts'
import type { Random } from './seeded-random.ts'

export function tileAddresses(slots: AddressSlots, random: Random): TileAddresses {
  const mapper = addressMapper(random)
  const bytes = slots.addresses.map((a) => mapper.map(a))
  const sums = Float64Array.from(bytes, (b) => fold(wordSum(b, 0, b.length)))
  const swappedSums = sums.map((x) => ((x & 0xff) << 8) | (x >> 8))
  return { bytes, sums, swappedSums }
}
