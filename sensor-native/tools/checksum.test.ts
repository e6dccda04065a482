import { expect, it } from 'vitest'
import { checksumOf, fold, negated, wordSum } from './checksum.ts'

// RFC 1071 §3 example: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded)
const bytes = Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7])

it('sums and folds like RFC 1071', () => {
  expect(fold(wordSum(bytes, 0, 8))).toBe(0xddf2)
  expect(checksumOf(wordSum(bytes, 0, 8))).toBe(0x220d)
})

it('pads an odd last byte', () => {
  expect(wordSum(Uint8Array.from([0x12, 0x34, 0x56]), 0, 3)).toBe(0x1234 + 0x5600)
})

it('updates a checksum incrementally as a full recomputation would (RFC 1624)', () => {
  const header = Uint8Array.from([
    0x45, 0, 0, 0x54, 0, 0, 0x40, 0, 0x40, 1, 0, 0, 10, 0, 0, 1, 8, 8, 8, 8,
  ])
  const old = checksumOf(wordSum(header, 0, 20))
  const oldAddr = wordSum(header, 12, 20)
  header.set([192, 168, 7, 9, 1, 1, 1, 1], 12)
  const full = checksumOf(wordSum(header, 0, 20))
  const incremental = checksumOf(negated(old) + negated(oldAddr) + wordSum(header, 12, 20))
  expect(incremental).toBe(full)
})
