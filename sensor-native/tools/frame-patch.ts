/**
 * Applies a template's patches to a copy of its frame: the tile's addresses, then the checksums
 * in the order the template lists them (inner ones before the ICMP checksum that covers them).
 */
import { checksumOf } from './checksum.ts'
import { MODE_UDP, PATCH_ADDRESS } from './patch-list.ts'

/**
 * One tile's addresses: per slot of the capture, the new bytes, the sum of their words, and that
 * sum byte-swapped (for addresses at odd offsets inside a checksummed range, as in DNS answers).
 */
export type TileAddresses = { bytes: Uint8Array[]; sums: Float64Array; swappedSums: Float64Array }

export function applyPatches(
  out: Uint8Array,
  at: number,
  patches: number[],
  tile: TileAddresses,
): void {
  let i = 0
  while (i < patches.length) {
    if (patches[i] === PATCH_ADDRESS) {
      out.set(tile.bytes[patches[i + 2] as number] as Uint8Array, at + (patches[i + 1] as number))
      i += 3
      continue
    }
    const where = at + (patches[i + 1] as number)
    let sum = patches[i + 2] as number
    const mode = patches[i + 3] as number
    const n = patches[i + 4] as number
    for (let k = 0; k < n; k++) {
      const ref = patches[i + 5 + k] as number
      sum += (ref >= 0 ? tile.sums[ref] : tile.swappedSums[-ref - 1]) as number
    }
    const m = patches[i + 5 + n] as number
    for (let k = 0; k < m; k++) {
      const dep = at + (patches[i + 6 + n + k] as number)
      sum += ((out[dep] as number) << 8) | (out[dep + 1] as number)
    }
    let value = checksumOf(sum)
    if (mode === MODE_UDP && value === 0) value = 0xffff
    out[where] = value >> 8
    out[where + 1] = value & 0xff
    i += 6 + n + m
  }
}
