import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, daysBetween, formatDate, fromDayNumber, parseDate } from './calendar-date.ts'
import { isTimelyNotice, latestNoticeDay, periodLastDay } from './period.ts'

const day = parseDate
const fmt = formatDate
const anyDate = fc.integer({ min: 7000, max: 47000 }).map(fromDayNumber)
const anyLength = fc.oneof(
  fc.integer({ min: 1, max: 36 }).map((months) => ({ months })),
  fc.integer({ min: 1, max: 400 }).map((days) => ({ days })),
)

describe('periodLastDay', () => {
  it('ends the day before the corresponding day (Civil Code Art. 143)', () => {
    expect(fmt(periodLastDay(day('2024-04-11'), { months: 12 }))).toBe('2025-04-10')
    expect(fmt(periodLastDay(day('2025-01-01'), { months: 12 }))).toBe('2025-12-31')
    expect(fmt(periodLastDay(day('2023-03-01'), { months: 12 }))).toBe('2024-02-29')
    expect(fmt(periodLastDay(day('2025-04-01'), { days: 7 }))).toBe('2025-04-07')
  })

  it('ends on the month end when the corresponding day does not exist', () => {
    expect(fmt(periodLastDay(day('2024-02-29'), { months: 12 }))).toBe('2025-02-28')
    expect(fmt(periodLastDay(day('2025-12-31'), { months: 2 }))).toBe('2026-02-28')
    expect(fmt(periodLastDay(day('2025-03-31'), { months: 1 }))).toBe('2025-04-30')
  })

  it('rejects lengths that are not positive whole numbers', () => {
    expect(() => periodLastDay(day('2025-01-01'), { months: 0 })).toThrow(RangeError)
    expect(() => periodLastDay(day('2025-01-01'), { days: 1.5 })).toThrow(RangeError)
  })

  it('ends just before the corresponding day, or at the end of a month lacking it', () => {
    fc.assert(
      fc.property(anyDate, anyLength, (first, length) => {
        const next = addDays(periodLastDay(first, length), 1)
        if ('days' in length) {
          expect(daysBetween(first, next)).toBe(length.days)
          return
        }
        const monthsAhead = (next.y - first.y) * 12 + next.m - first.m
        if (next.d === first.d) expect(monthsAhead).toBe(length.months)
        else expect([monthsAhead, next.d, first.d > 28]).toEqual([length.months + 1, 1, true])
      }),
    )
  })
})

describe('latestNoticeDay', () => {
  it('leaves two whole months between the notice day and the event', () => {
    expect(fmt(latestNoticeDay(day('2025-04-01'), { months: 2 }))).toBe('2025-01-31')
    expect(fmt(latestNoticeDay(day('2025-04-11'), { months: 2 }))).toBe('2025-02-10')
    expect(fmt(latestNoticeDay(day('2025-05-01'), { months: 2 }))).toBe('2025-02-28')
    // A notice on Feb 28 would start a period Mar 1–Apr 30, ending after Apr 29.
    expect(fmt(latestNoticeDay(day('2025-04-30'), { months: 2 }))).toBe('2025-02-27')
  })

  it('leaves seven whole days before an effective date', () => {
    expect(fmt(latestNoticeDay(day('2025-04-08'), { days: 7 }))).toBe('2025-03-31')
    expect(isTimelyNotice(day('2025-03-31'), day('2025-04-08'), { days: 7 })).toBe(true)
    expect(isTimelyNotice(day('2025-04-01'), day('2025-04-08'), { days: 7 })).toBe(false)
  })

  it('is the last timely day: that day is in time and the next is not', () => {
    fc.assert(
      fc.property(anyDate, anyLength, (event, length) => {
        const last = latestNoticeDay(event, length)
        expect(isTimelyNotice(last, event, length)).toBe(true)
        expect(isTimelyNotice(addDays(last, 1), event, length)).toBe(false)
        expect(isTimelyNotice(addDays(last, -1), event, length)).toBe(true)
      }),
    )
  })
})
