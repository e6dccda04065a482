import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addDays,
  addMonths,
  addYears,
  type CalendarDate,
  calendarDate,
  compareDates,
  dayOfWeek,
  daysBetween,
  formatDate,
  fromDayNumber,
  jstDateOf,
  jstInstant,
  jstTimeOfDay,
  parseDate,
  toDayNumber,
} from './calendar-date.ts'

const day = parseDate
const anyDate = fc
  .integer({ min: toDayNumber(day('1900-01-01')), max: toDayNumber(day('2200-12-31')) })
  .map(fromDayNumber)

describe('calendarDate', () => {
  it('rejects impossible days instead of rolling them over', () => {
    expect(() => calendarDate(2025, 2, 29)).toThrow(/Invalid calendar date/)
    expect(() => calendarDate(2025, 13, 1)).toThrow(RangeError)
    expect(() => parseDate('2025-04-31')).toThrow(RangeError)
    expect(() => parseDate('2025-4-1')).toThrow(RangeError)
    expect(calendarDate(2024, 2, 29)).toEqual({ y: 2024, m: 2, d: 29 })
  })

  it('is immutable', () => {
    const date = calendarDate(2025, 1, 1) as { y: number }
    expect(() => {
      date.y = 2026
    }).toThrow(TypeError)
  })

  it('agrees with Date.UTC on the day number of any date', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (n) => {
        const date = fromDayNumber(n)
        const utc = new Date(n * 86_400_000)
        expect([date.y, date.m, date.d]).toEqual([
          utc.getUTCFullYear(),
          utc.getUTCMonth() + 1,
          utc.getUTCDate(),
        ])
        expect(toDayNumber(date)).toBe(n)
        expect(dayOfWeek(date)).toBe(utc.getUTCDay())
      }),
    )
  })
})

describe('addMonths / addYears', () => {
  it('clamps to the end of a shorter month', () => {
    expect(formatDate(addMonths(day('2025-01-31'), 1))).toBe('2025-02-28')
    expect(formatDate(addMonths(day('2024-01-31'), 1))).toBe('2024-02-29')
    expect(formatDate(addMonths(day('2025-05-31'), -3))).toBe('2025-02-28')
    expect(formatDate(addMonths(day('2025-12-15'), 1))).toBe('2026-01-15')
    expect(formatDate(addMonths(day('2025-01-15'), -1))).toBe('2024-12-15')
    expect(formatDate(addYears(day('2024-02-29'), 1))).toBe('2025-02-28')
    expect(formatDate(addYears(day('2024-02-29'), 4))).toBe('2028-02-29')
  })

  it('keeps the day of month whenever the target month has it', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -1200, max: 1200 }), (date, n) => {
        const moved = addMonths(date, n)
        expect((moved.y - date.y) * 12 + moved.m - date.m).toBe(n)
        if (date.d <= 28) expect(moved.d).toBe(date.d)
        else expect(moved.d).toBeLessThanOrEqual(date.d)
      }),
    )
  })
})

describe('day arithmetic', () => {
  it('addDays and daysBetween are inverse', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: -100_000, max: 100_000 }), (date, n) => {
        const moved = addDays(date, n)
        expect(daysBetween(date, moved)).toBe(n)
        expect(compareDates(moved, date)).toBe(Math.sign(n))
      }),
    )
  })

  it('crosses leap days and year ends', () => {
    expect(formatDate(addDays(day('2024-02-28'), 1))).toBe('2024-02-29')
    expect(formatDate(addDays(day('2100-02-28'), 1))).toBe('2100-03-01')
    expect(formatDate(addDays(day('2000-02-28'), 1))).toBe('2000-02-29')
    expect(formatDate(addDays(day('2025-12-31'), 1))).toBe('2026-01-01')
    expect(daysBetween(day('2024-01-01'), day('2025-01-01'))).toBe(366)
  })
})

describe('JST conversion', () => {
  it('puts 15:00 UTC on the next Japanese day', () => {
    expect(formatDate(jstDateOf(Date.UTC(2025, 0, 1, 14, 59, 59, 999)))).toBe('2025-01-01')
    expect(formatDate(jstDateOf(Date.UTC(2025, 0, 1, 15, 0)))).toBe('2025-01-02')
    expect(formatDate(jstDateOf(Date.UTC(1969, 11, 31, 15, 0)))).toBe('1970-01-01')
    expect(formatDate(jstDateOf(Date.UTC(1969, 11, 31, 14, 0)))).toBe('1969-12-31')
  })

  it('round-trips date and time of day through an instant', () => {
    fc.assert(
      fc.property(
        anyDate,
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (date: CalendarDate, hour, minute) => {
          const instant = jstInstant(date, hour, minute)
          expect(jstDateOf(instant)).toEqual(date)
          expect(jstTimeOfDay(instant)).toBe((hour * 60 + minute) * 60_000)
        },
      ),
    )
    expect(jstInstant(day('2025-04-01'), 9)).toBe(Date.UTC(2025, 3, 1, 0, 0))
    expect(jstInstant(day('2025-04-01'), 24)).toBe(jstInstant(day('2025-04-02')))
    expect(() => jstInstant(day('2025-04-01'), 24, 30)).toThrow(RangeError)
    expect(() => jstInstant(day('2025-04-01'), 25)).toThrow(RangeError)
  })
})
