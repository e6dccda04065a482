import { expect, it } from 'vitest'
import { udpFrameLength } from './packet-build.ts'
import { udpCapture } from './test-captures.ts'
import { MAX_GAP_US, tileSource } from './tile-source.ts'

it('keeps times relative to the first packet, never backwards, with long silences shortened', () => {
  const t0 = 1_600_000_000_000_000
  const source = tileSource(
    'c',
    udpCapture([t0, t0 + 500, t0 + 400, t0 + 3_600_000_000, t0 + 3_600_000_100]),
  )
  if (source instanceof Error) throw source
  expect(source.offsetsUs).toEqual([0, 500, 500, 500 + MAX_GAP_US, 600 + MAX_GAP_US])
  expect(source.templates.length).toBe(5)
  expect(source.slots.addresses.length).toBe(2)
  expect(source.bytes).toBe(5 * (16 + udpFrameLength(4)))
})

it('reports a file it cannot read', () => {
  expect(tileSource('x', Uint8Array.of(1, 2, 3, 4, 5))).toBeInstanceOf(Error)
})
