/**
 * The Internet checksum (RFC 1071) in pieces: 16-bit one's complement sums can be added in any
 * order, so a packet's checksum is precomputed once as a partial sum of its fixed bytes, and each
 * rewritten copy only adds the sums of its new addresses (RFC 1624 for the incremental case).
 */

/** Sum of the big-endian 16-bit words of bytes[start, end) (an odd last byte is padded). */
export function wordSum(bytes: Uint8Array, start: number, end: number): number {
  let sum = 0
  let i = start
  for (; i + 1 < end; i += 2) sum += ((bytes[i] as number) << 8) | (bytes[i + 1] as number)
  if (i < end) sum += (bytes[i] as number) << 8
  return sum
}

/** Folds carries into 16 bits. */
export function fold(sum: number): number {
  let s = sum
  while (s > 0xffff) s = (s & 0xffff) + Math.floor(s / 0x10000)
  return s
}

/** The checksum field value for a folded sum of everything else it covers. */
export function checksumOf(sum: number): number {
  return ~fold(sum) & 0xffff
}

/** RFC 1624: what to add to a sum so that `value` counts as removed. */
export function negated(value: number): number {
  return ~fold(value) & 0xffff
}
