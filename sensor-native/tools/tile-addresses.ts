/** One tile's fresh addresses for every address slot of its source capture. */
import { addressMapper } from './address-map.ts'
import { wordSum } from './checksum.ts'
import type { TileAddresses } from './frame-patch.ts'
import type { Random } from './seeded-random.ts'
import type { TileSource } from './tile-source.ts'

export function tileAddresses(source: TileSource, random: Random): TileAddresses {
  const mapper = addressMapper(random)
  const bytes = source.slots.addresses.map((a) => mapper.map(a))
  const sums = Float64Array.from(bytes, (b) => wordSum(b, 0, b.length))
  return { bytes, sums }
}
