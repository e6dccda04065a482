import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addBusinessDays,
  firstAnswerDue,
  isBusinessDay,
  isOpen,
  isYearEndBreak,
  nextBusinessDay,
  nextOpening,
} from './business-calendar.ts'
import {
  addDays,
  dayOfWeek,
  daysBetween,
  formatDate,
  jstDateOf,
  jstInstant,
  parseDate,
  toDayNumber,
} from './calendar-date.ts'
import { isHoliday } from './jp-holidays.ts'

const day = parseDate
const at = (iso: string) => Date.parse(iso)
const anyDate = fc
  .integer({ min: toDayNumber(day('1990-01-01')), max: toDayNumber(day('2099-11-30')) })
  .map((n) => addDays(day('1970-01-01'), n))
const anyInstant = fc.integer({
  min: jstInstant(day('1990-01-01')),
  max: jstInstant(day('2099-11-30')),
})

describe('isBusinessDay', () => {
  it('closes on weekends, national holidays and Dec 28 – Jan 4', () => {
    expect(isBusinessDay(day('2025-04-25'))).toBe(true) // Friday
    expect(isBusinessDay(day('2025-04-26'))).toBe(false) // Saturday
    expect(isBusinessDay(day('2025-04-29'))).toBe(false) // Showa Day, a Tuesday
    expect(isBusinessDay(day('2025-12-26'))).toBe(true)
    expect(isBusinessDay(day('2025-12-29'))).toBe(false) // Monday in the year-end break
    expect(isBusinessDay(day('2026-01-02'))).toBe(false)
    expect(isBusinessDay(day('2026-01-05'))).toBe(true)
    expect(isYearEndBreak(day('2025-12-27'))).toBe(false)
  })

  it('is exactly a weekday that is neither a holiday nor in the year-end break', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const weekday = dayOfWeek(date) >= 1 && dayOfWeek(date) <= 5
        const inBreak = (date.m === 12 && date.d >= 28) || (date.m === 1 && date.d <= 4)
        expect(isBusinessDay(date)).toBe(weekday && !inBreak && !isHoliday(date))
      }),
    )
  })
})

describe('nextBusinessDay', () => {
  it('skips weekends, Golden Week and the year-end break', () => {
    expect(formatDate(nextBusinessDay(day('2025-04-25')))).toBe('2025-04-28')
    expect(formatDate(nextBusinessDay(day('2019-04-26')))).toBe('2019-05-07')
    expect(formatDate(nextBusinessDay(day('2025-12-26')))).toBe('2026-01-05')
    expect(formatDate(nextBusinessDay(day('2025-04-28')))).toBe('2025-04-30')
    expect(formatDate(addBusinessDays(day('2025-04-25'), 3))).toBe('2025-05-01')
  })

  it('is a business day, strictly later, with no business day skipped', () => {
    fc.assert(
      fc.property(anyDate, (date) => {
        const next = nextBusinessDay(date)
        expect(isBusinessDay(next)).toBe(true)
        const gap = daysBetween(date, next)
        expect(gap).toBeGreaterThan(0)
        for (let i = 1; i < gap; i++) expect(isBusinessDay(addDays(date, i))).toBe(false)
      }),
    )
  })
})

describe('isOpen', () => {
  it('opens at 9:00 JST and closes at 17:00 JST', () => {
    expect(isOpen(at('2025-04-25T08:59:59.999+09:00'))).toBe(false)
    expect(isOpen(at('2025-04-25T09:00:00+09:00'))).toBe(true)
    expect(isOpen(at('2025-04-25T16:59:59.999+09:00'))).toBe(true)
    expect(isOpen(at('2025-04-25T17:00:00+09:00'))).toBe(false)
    expect(isOpen(at('2025-04-26T10:00:00+09:00'))).toBe(false)
    // 01:00 UTC on a Friday is 10:00 JST on that Friday.
    expect(isOpen(at('2025-04-25T01:00:00Z'))).toBe(true)
  })

  it('is never open outside a business day', () => {
    fc.assert(
      fc.property(anyInstant, (instant) => {
        if (isOpen(instant)) expect(isBusinessDay(jstDateOf(instant))).toBe(true)
      }),
    )
  })
})

describe('nextOpening', () => {
  it('is the same day before opening and the next business day after closing', () => {
    expect(nextOpening(at('2025-04-25T07:00:00+09:00'))).toBe(at('2025-04-25T09:00:00+09:00'))
    expect(nextOpening(at('2025-04-25T18:00:00+09:00'))).toBe(at('2025-04-28T09:00:00+09:00'))
    expect(nextOpening(at('2025-04-25T12:00:00+09:00'))).toBe(at('2025-04-25T12:00:00+09:00'))
  })

  it('is an open instant no earlier than the input', () => {
    fc.assert(
      fc.property(anyInstant, (instant) => {
        const opening = nextOpening(instant)
        expect(opening).toBeGreaterThanOrEqual(instant)
        expect(isOpen(opening)).toBe(true)
        if (opening > instant) expect(isOpen(opening - 1)).toBe(false)
      }),
    )
  })
})

describe('firstAnswerDue', () => {
  it('is the close of the next business day, whatever the hour of arrival', () => {
    expect(firstAnswerDue(at('2025-04-25T10:00:00+09:00'))).toBe(at('2025-04-28T17:00:00+09:00'))
    expect(firstAnswerDue(at('2025-04-25T17:30:00+09:00'))).toBe(at('2025-04-28T17:00:00+09:00'))
    expect(firstAnswerDue(at('2025-04-26T11:00:00+09:00'))).toBe(at('2025-04-28T17:00:00+09:00'))
    expect(firstAnswerDue(at('2025-04-24T08:00:00+09:00'))).toBe(at('2025-04-25T17:00:00+09:00'))
    expect(firstAnswerDue(at('2025-12-26T16:00:00+09:00'))).toBe(at('2026-01-05T17:00:00+09:00'))
    // 20:00 UTC Thursday is already 05:00 JST Friday: due Monday, not Friday.
    expect(firstAnswerDue(at('2025-04-24T20:00:00Z'))).toBe(at('2025-04-28T17:00:00+09:00'))
  })

  it('falls at closing time on a business day after the day of arrival', () => {
    fc.assert(
      fc.property(anyInstant, (instant) => {
        const due = firstAnswerDue(instant)
        expect(isBusinessDay(jstDateOf(due))).toBe(true)
        expect(isOpen(due - 1)).toBe(true)
        expect(isOpen(due)).toBe(false)
        expect(daysBetween(jstDateOf(instant), jstDateOf(due))).toBeGreaterThan(0)
        expect(due - instant).toBeGreaterThan(8 * 3_600_000)
      }),
    )
  })
})
