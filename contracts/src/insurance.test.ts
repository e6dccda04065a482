import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, formatDate, fromDayNumber, parseDate } from './calendar-date.ts'
import { coverageStartsOn, INSURANCE_LIMIT, insurancePayout, isCovered } from './insurance.ts'
import { yen } from './money.ts'

const day = parseDate

describe('coverageStartsOn', () => {
  it('is the 1st of the month after service starts, even from a 1st', () => {
    expect(formatDate(coverageStartsOn(day('2025-04-15')))).toBe('2025-05-01')
    expect(formatDate(coverageStartsOn(day('2025-04-01')))).toBe('2025-05-01')
    expect(formatDate(coverageStartsOn(day('2025-04-30')))).toBe('2025-05-01')
    expect(formatDate(coverageStartsOn(day('2025-12-31')))).toBe('2026-01-01')
  })

  it('is always a 1st, 1 to 31 days after service starts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 7300, max: 40000 }).map(fromDayNumber), (start) => {
        const cover = coverageStartsOn(start)
        expect(cover.d).toBe(1)
        expect(daysBetween(start, cover)).toBeGreaterThanOrEqual(1)
        expect(daysBetween(start, cover)).toBeLessThanOrEqual(31)
      }),
    )
  })
})

describe('isCovered', () => {
  it('covers from the cover start through the last day of service', () => {
    const start = day('2025-04-15')
    expect(isCovered(start, day('2025-04-30'))).toBe(false)
    expect(isCovered(start, day('2025-05-01'))).toBe(true)
    expect(isCovered(start, day('2026-05-10'), day('2026-05-10'))).toBe(true)
    expect(isCovered(start, addDays(day('2026-05-10'), 1), day('2026-05-10'))).toBe(false)
  })
})

describe('insurancePayout', () => {
  it('pays up to JPY 3,000,000 per company in all', () => {
    expect(INSURANCE_LIMIT).toBe(3_000_000)
    expect(insurancePayout(yen(1_200_000))).toBe(1_200_000)
    expect(insurancePayout(yen(4_000_000))).toBe(3_000_000)
    expect(insurancePayout(yen(2_500_000), yen(1_000_000))).toBe(2_000_000)
    expect(insurancePayout(yen(10), yen(3_000_000))).toBe(0)
  })

  it('never pays beyond the limit across successive claims', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 })), (claims) => {
        let paid = yen(0)
        for (const claim of claims) {
          const payout = insurancePayout(yen(claim), paid)
          expect(payout).toBeGreaterThanOrEqual(0)
          expect(payout).toBeLessThanOrEqual(claim)
          paid = yen(paid + payout)
        }
        expect(paid).toBe(
          Math.min(
            3_000_000,
            claims.reduce((a, b) => a + b, 0),
          ),
        )
      }),
    )
  })
})
