import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, fromDayNumber, parseDate } from './calendar-date.ts'
import { prorate, yen } from './money.ts'
import {
  defectCompensation,
  earlyCancellation,
  perDayPrice,
  termAccount,
  unexpiredRefund,
  usedDays,
} from './settlement.ts'
import { nthTerm } from './term.ts'

const day = parseDate
const term = nthTerm(day('2024-04-10'), 1) // 2024-04-11 … 2025-04-10, 365 days
const leapTerm = nthTerm(day('2023-04-10'), 1) // 2023-04-11 … 2024-04-10, 366 days
const HOUR = 3_600_000
const at = (iso: string) => Date.parse(iso)

const scenario = fc
  .record({
    delivered: fc.integer({ min: 7300, max: 40000 }).map(fromDayNumber),
    index: fc.integer({ min: 1, max: 5 }),
    fee: fc.integer({ min: 0, max: 100_000_000 }),
    paidShare: fc.double({ min: 0, max: 1, noNaN: true }),
    offset: fc.integer({ min: -30, max: 365 }),
  })
  .map(({ delivered, index, fee, paidShare, offset }) => {
    const t = nthTerm(delivered, index)
    const lastDay = addDays(t.firstDay, Math.min(offset, t.days - 1))
    return { account: termAccount(t, fee, Math.floor(fee * paidShare)), lastDay }
  })

describe('usedDays', () => {
  it('counts the last day of service as used', () => {
    expect(usedDays(term, day('2024-04-11'))).toBe(1)
    expect(usedDays(term, day('2025-04-10'))).toBe(365)
    expect(usedDays(term, day('2024-04-10'))).toBe(0)
    expect(() => usedDays(term, day('2025-04-11'))).toThrow(/after the term/)
  })
})

describe('earlyCancellation', () => {
  it('charges the fee for the remaining days when nothing is prepaid', () => {
    // 100 days used: Apr 11 … Jul 19.
    const result = earlyCancellation(termAccount(term, 365_000, 0), day('2024-07-19'))
    expect(result).toEqual({
      usedDays: 100,
      remainingDays: 265,
      penalty: 265_000,
      outstandingFee: 100_000,
    })
  })

  it('credits prepayment against the penalty instead of charging twice', () => {
    const prepaid = earlyCancellation(termAccount(term, 365_000, 365_000), day('2024-07-19'))
    expect([prepaid.penalty, prepaid.outstandingFee]).toEqual([0, 0])
    const monthly = earlyCancellation(termAccount(term, 365_000, 120_000), day('2024-07-19'))
    expect([monthly.penalty, monthly.outstandingFee]).toEqual([245_000, 0])
  })

  it('rounds the penalty down', () => {
    const result = earlyCancellation(termAccount(term, 100_000, 0), day('2025-04-01'))
    // 9 days remain: 100,000 × 9 / 365 = 2,465.75…
    expect([result.remainingDays, result.penalty, result.outstandingFee]).toEqual([9, 2465, 97_535])
  })

  it('rejects a payment above the fee', () => {
    expect(() => termAccount(term, 1000, 1001)).toThrow(/between 0 and the fee/)
  })

  it('never makes the customer pay more than the annual fee in all', () => {
    fc.assert(
      fc.property(scenario, ({ account, lastDay }) => {
        const { penalty, outstandingFee, remainingDays } = earlyCancellation(account, lastDay)
        expect(penalty).toBeGreaterThanOrEqual(0)
        expect(outstandingFee).toBeGreaterThanOrEqual(0)
        expect(penalty + account.paid).toBeLessThanOrEqual(account.annualFee)
        expect(penalty + outstandingFee + account.paid).toBe(account.annualFee)
        expect(penalty).toBeLessThanOrEqual(
          prorate(account.annualFee, remainingDays, account.term.days, 'down'),
        )
      }),
    )
  })
})

describe('unexpiredRefund', () => {
  it('returns the unexpired part of a prepaid fee, rounded up', () => {
    const result = unexpiredRefund(termAccount(term, 100_000, 100_000), day('2025-04-01'))
    // Used 356 days: 97,534.24… rounded down, so the refund is 2,466.
    expect(result).toEqual({ usedDays: 356, refund: 2466, outstandingFee: 0 })
    expect(unexpiredRefund(termAccount(leapTerm, 366_000, 366_000), day('2023-04-10')).refund).toBe(
      366_000,
    )
  })

  it('refunds nothing and bills the gap when less was paid than used', () => {
    const result = unexpiredRefund(termAccount(term, 365_000, 50_000), day('2024-07-19'))
    expect(result).toEqual({ usedDays: 100, refund: 0, outstandingFee: 50_000 })
  })

  it('is never negative, never above what was paid, and shrinks as service goes on', () => {
    fc.assert(
      fc.property(scenario, ({ account, lastDay }) => {
        const { refund, outstandingFee, usedDays: used } = unexpiredRefund(account, lastDay)
        expect(refund).toBeGreaterThanOrEqual(0)
        expect(refund).toBeLessThanOrEqual(account.paid)
        expect(refund > 0 && outstandingFee > 0).toBe(false)
        const usedFee = prorate(account.annualFee, used, account.term.days, 'down')
        expect(account.paid - refund + outstandingFee).toBe(usedFee)
        if (used < account.term.days) {
          const later = unexpiredRefund(account, addDays(lastDay, 1))
          expect(later.refund).toBeLessThanOrEqual(refund)
        }
      }),
    )
  })
})

describe('defectCompensation', () => {
  it('pays the per-day price for each full 24 hours only', () => {
    expect(perDayPrice(yen(120_000), term)).toBe(329)
    const start = at('2025-01-10T10:00:00+09:00')
    expect(defectCompensation(yen(120_000), term, start, start + 71 * HOUR)).toEqual({
      fullDays: 2,
      perDay: 329,
      amount: 658,
    })
    expect(defectCompensation(yen(120_000), term, start, start + 72 * HOUR).amount).toBe(987)
    expect(defectCompensation(yen(120_000), term, start, start + 23 * HOUR).amount).toBe(0)
  })

  it('rejects an outage that ends before it was learned of', () => {
    expect(() => defectCompensation(yen(1), term, 10, 9)).toThrow(/no earlier/)
  })

  it('values a day at no less than its share of the fee', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 0, max: 400 * 24 * HOUR }),
        (fee, duration) => {
          const { fullDays, amount } = defectCompensation(yen(fee), leapTerm, 0, duration)
          expect(fullDays * 24 * HOUR).toBeLessThanOrEqual(duration)
          expect((fullDays + 1) * 24 * HOUR).toBeGreaterThan(duration)
          expect(amount * leapTerm.days).toBeGreaterThanOrEqual(fee * fullDays)
          expect(amount).toBeLessThan(
            prorate(yen(fee), fullDays, leapTerm.days, 'down') + fullDays + 1,
          )
        },
      ),
    )
  })
})
