import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addYen,
  formatYen,
  maxYen,
  minYen,
  multiplyYen,
  prorate,
  subtractYen,
  sumYen,
  type Yen,
  yen,
} from './money.ts'

const amount = fc.integer({ min: -1e12, max: 1e12 }).map(yen)

describe('yen', () => {
  it('accepts only whole, safe amounts', () => {
    expect(yen(1200)).toBe(1200)
    expect(() => yen(0.5)).toThrow(/safe integers of yen/)
    expect(() => yen(Number.MAX_SAFE_INTEGER + 2)).toThrow(RangeError)
    expect(() => addYen(yen(Number.MAX_SAFE_INTEGER), yen(1))).toThrow(RangeError)
  })

  it('does arithmetic in whole yen', () => {
    expect(addYen(yen(1), yen(2))).toBe(3)
    expect(subtractYen(yen(1), yen(2))).toBe(-1)
    expect(multiplyYen(yen(274), 3)).toBe(822)
    expect(sumYen([yen(1), yen(2), yen(3)])).toBe(6)
    expect(sumYen([])).toBe(0)
    expect([minYen(yen(1), yen(2)), maxYen(yen(1), yen(2))]).toEqual([1, 2])
  })

  it('keeps plain numbers out of money at compile time (checked by tsc)', () => {
    const days = 3
    // @ts-expect-error - a day count is not an amount of yen
    const mixed: Yen = addYen(days, yen(2))
    expect(mixed).toBe(5)
  })

  it('formats with thousands separators', () => {
    expect(formatYen(yen(3_000_000))).toBe('¥3,000,000')
    expect(formatYen(yen(-1234))).toBe('-¥1,234')
    expect(formatYen(yen(999))).toBe('¥999')
  })
})

describe('prorate', () => {
  it('rounds once, in the direction asked', () => {
    expect(prorate(yen(100_000), 10, 365, 'down')).toBe(2739)
    expect(prorate(yen(100_000), 10, 365, 'up')).toBe(2740)
    expect(prorate(yen(-100_000), 10, 365, 'down')).toBe(-2740)
    expect(prorate(yen(-100_000), 10, 365, 'up')).toBe(-2739)
    expect(prorate(yen(365_000), 10, 365, 'up')).toBe(10_000)
    expect(() => prorate(yen(1), 1, 0, 'up')).toThrow(/ratio/)
  })

  it('stays exact where floating point would not', () => {
    // 9e15 × 7 overflows 2^53; the BigInt path still divides exactly.
    expect(prorate(yen(9_000_000_000_000_000), 7, 7, 'down')).toBe(9_000_000_000_000_000)
  })

  it('brackets the exact quotient within one yen', () => {
    fc.assert(
      fc.property(
        amount,
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 400 }),
        (a: Yen, n, d) => {
          const down = prorate(a, n, d, 'down')
          const up = prorate(a, n, d, 'up')
          expect(down * d).toBeLessThanOrEqual(a * n)
          expect(up * d).toBeGreaterThanOrEqual(a * n)
          expect(up - down).toBe((a * n) % d === 0 ? 0 : 1)
        },
      ),
    )
  })

  it('splits an amount into two parts that add back up when rounded in opposite directions', () => {
    fc.assert(
      fc.property(amount, fc.integer({ min: 1, max: 366 }), fc.nat(366), (a, d, k) => {
        const n = Math.min(k, d)
        expect(prorate(a, n, d, 'down') + prorate(a, d - n, d, 'up')).toBe(a)
      }),
    )
  })
})
