import { describe, expect, it } from 'vitest'
import { percentile } from './percentile.ts'

describe('percentile', () => {
  it('takes the nearest rank', () => {
    const v = [15, 20, 35, 40, 50]
    expect(percentile(v, 5)).toBe(15)
    expect(percentile(v, 30)).toBe(20)
    expect(percentile(v, 50)).toBe(35)
    expect(percentile(v, 100)).toBe(50)
  })
  it('does not care about input order and is NaN when empty', () => {
    expect(percentile([3, 1, 2], 50)).toBe(2)
    expect(percentile([], 99)).toBeNaN()
  })
})
