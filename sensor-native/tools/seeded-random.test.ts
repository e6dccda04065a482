import { expect, it } from 'vitest'
import { seededRandom } from './seeded-random.ts'

const draw = (seed: number, stream: string) => {
  const r = seededRandom(seed, stream)
  return Array.from({ length: 8 }, () => r.u32())
}

it('repeats for the same seed and stream and differs otherwise', () => {
  expect(draw(1, 'tile 0')).toEqual(draw(1, 'tile 0'))
  expect(draw(1, 'tile 0')).not.toEqual(draw(2, 'tile 0'))
  expect(draw(1, 'tile 0')).not.toEqual(draw(1, 'tile 1'))
})

it('keeps the values it promises', () => {
  const r = seededRandom(7)
  const seen = new Set<number>()
  for (let i = 0; i < 10_000; i++) {
    const v = r.below(10)
    expect(v >= 0 && v < 10 && Number.isInteger(v)).toBe(true)
    seen.add(v)
    expect(r.u32()).toBeLessThan(2 ** 32)
  }
  expect(seen.size).toBe(10)
})
