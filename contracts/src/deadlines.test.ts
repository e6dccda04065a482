import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, formatDate, fromDayNumber, parseDate } from './calendar-date.ts'
import {
  confidentialityEndsOn,
  cureDeadline,
  providerEndNoticeDeadline,
  termsChangeNoticeDeadline,
} from './deadlines.ts'

const day = parseDate
const fmt = formatDate

describe('deadlines', () => {
  it('gives the provider’s notice two whole months before service ends', () => {
    expect(fmt(providerEndNoticeDeadline(day('2025-09-30')))).toBe('2025-07-31')
    expect(fmt(providerEndNoticeDeadline(day('2025-04-10')))).toBe('2025-02-10')
  })

  it('leaves seven whole days before a terms change takes effect', () => {
    expect(fmt(termsChangeNoticeDeadline(day('2025-04-08')))).toBe('2025-03-31')
    expect(fmt(termsChangeNoticeDeadline(day('2025-01-01')))).toBe('2024-12-24')
  })

  it('gives 14 days to cure, not counting the day the demand arrives', () => {
    expect(fmt(cureDeadline(day('2025-04-01')))).toBe('2025-04-15')
    expect(fmt(cureDeadline(day('2025-12-25')))).toBe('2026-01-08')
  })

  it('keeps confidentiality for five years after the end', () => {
    expect(fmt(confidentialityEndsOn(day('2025-04-10')))).toBe('2030-04-10')
    expect(fmt(confidentialityEndsOn(day('2024-02-28')))).toBe('2029-02-28')
    expect(fmt(confidentialityEndsOn(day('2024-02-29')))).toBe('2029-02-28')
  })

  it('keeps every notice deadline strictly before the event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 7300, max: 40000 }).map(fromDayNumber), (d) => {
        expect(daysBetween(termsChangeNoticeDeadline(d), d)).toBe(8)
        const gap = daysBetween(providerEndNoticeDeadline(d), addDays(d, 1))
        expect(gap).toBeGreaterThanOrEqual(60)
        expect(gap).toBeLessThanOrEqual(63)
      }),
    )
  })
})
