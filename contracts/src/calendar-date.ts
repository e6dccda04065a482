/**
 * @module calendar-date
 * A calendar date with no time and no zone. Contract terms, deadlines and holidays are days on
 * the Japanese calendar, so every rule here works on whole days and only `jstDateOf` and
 * `jstInstant` cross over to epoch-millisecond instants.
 */
import { assert } from './assert.ts'

export type CalendarDate = { readonly y: number; readonly m: number; readonly d: number }

/** Japan has kept UTC+9 without daylight saving since 1952, so a fixed offset is exact. */
export const JST_OFFSET_MS = 9 * 60 * 60 * 1000
export const MS_PER_DAY = 24 * 60 * 60 * 1000

export const INVALID_DATE_MESSAGE = 'Invalid calendar date.'
export const INVALID_INSTANT_MESSAGE = 'Instant must be a finite integer of epoch milliseconds.'

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
}

export function isValidDate(y: number, m: number, d: number): boolean {
  return (
    Number.isSafeInteger(y) &&
    Number.isInteger(m) &&
    Number.isInteger(d) &&
    m >= 1 &&
    m <= 12 &&
    d >= 1 &&
    d <= daysInMonth(y, m)
  )
}

/**
 * @example
 * calendarDate(2025, 2, 29) // throws: 2025 is not a leap year
 */
export function calendarDate(y: number, m: number, d: number): CalendarDate {
  assert(isValidDate(y, m, d), INVALID_DATE_MESSAGE)
  return Object.freeze({ y, m, d })
}

/** Parses `YYYY-MM-DD` strictly: no times, no zones, no rollover of impossible days. */
export function parseDate(text: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  assert(match !== null, INVALID_DATE_MESSAGE)
  return calendarDate(Number(match[1]), Number(match[2]), Number(match[3]))
}

export function formatDate(date: CalendarDate): string {
  const pad = (n: number, w: number) => String(n).padStart(w, '0')
  return `${pad(date.y, 4)}-${pad(date.m, 2)}-${pad(date.d, 2)}`
}

/**
 * Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
 * Integer-only, so it cannot be skewed by a host time zone the way `new Date(y, m, d)` is.
 */
export function toDayNumber(date: CalendarDate): number {
  const y = date.m <= 2 ? date.y - 1 : date.y
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (date.m + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + date.d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

export function fromDayNumber(days: number): CalendarDate {
  assert(Number.isSafeInteger(days), INVALID_DATE_MESSAGE)
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return calendarDate(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  assert(Number.isSafeInteger(days), INVALID_DATE_MESSAGE)
  return fromDayNumber(toDayNumber(date) + days)
}

/**
 * Moves by whole months and clamps to the end of the target month: Jan 31 + 1 month is
 * Feb 28 (or 29). Rolling over into March instead, as `Date#setMonth` does, would move a
 * deadline into the wrong month.
 * @example
 * addMonths(calendarDate(2025, 1, 31), 1) //=> 2025-02-28
 */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  assert(Number.isSafeInteger(months), INVALID_DATE_MESSAGE)
  const index = date.y * 12 + (date.m - 1) + months
  const y = Math.floor(index / 12)
  const m = index - y * 12 + 1
  return calendarDate(y, m, Math.min(date.d, daysInMonth(y, m)))
}

/** Whole years with the same clamping as `addMonths`: Feb 29 + 1 year is Feb 28. */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  assert(Number.isSafeInteger(years), INVALID_DATE_MESSAGE)
  return addMonths(date, years * 12)
}

export function compareDates(a: CalendarDate, b: CalendarDate): -1 | 0 | 1 {
  const diff = toDayNumber(a) - toDayNumber(b)
  return diff < 0 ? -1 : diff > 0 ? 1 : 0
}

export function isSameDate(a: CalendarDate, b: CalendarDate): boolean {
  return a.y === b.y && a.m === b.m && a.d === b.d
}

export function isBefore(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) < 0
}

export function isAfter(a: CalendarDate, b: CalendarDate): boolean {
  return compareDates(a, b) > 0
}

/** Signed number of days from `from` to `to`: 0 for the same day, 1 for the next. */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toDayNumber(to) - toDayNumber(from)
}

/** 0 = Sunday … 6 = Saturday, matching `Date#getDay`. 1970-01-01 was a Thursday. */
export function dayOfWeek(date: CalendarDate): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7
}

/**
 * The Japanese calendar date of an instant.
 * @example
 * jstDateOf(Date.UTC(2025, 0, 1, 15, 0)) //=> 2025-01-02 (00:00 JST)
 */
export function jstDateOf(instant: number): CalendarDate {
  assert(Number.isSafeInteger(instant), INVALID_INSTANT_MESSAGE)
  return fromDayNumber(Math.floor((instant + JST_OFFSET_MS) / MS_PER_DAY))
}

/** Milliseconds elapsed since 00:00 JST on the instant's own JST date. */
export function jstTimeOfDay(instant: number): number {
  assert(Number.isSafeInteger(instant), INVALID_INSTANT_MESSAGE)
  const local = instant + JST_OFFSET_MS
  return local - Math.floor(local / MS_PER_DAY) * MS_PER_DAY
}

/** The instant of `hour:minute` JST on `date`; hour 24 means the end of that day. */
export function jstInstant(date: CalendarDate, hour = 0, minute = 0): number {
  assert(Number.isInteger(hour) && hour >= 0 && hour <= 24, INVALID_INSTANT_MESSAGE)
  assert(Number.isInteger(minute) && minute >= 0 && minute < 60, INVALID_INSTANT_MESSAGE)
  assert(hour < 24 || minute === 0, INVALID_INSTANT_MESSAGE)
  return toDayNumber(date) * MS_PER_DAY + (hour * 60 + minute) * 60_000 - JST_OFFSET_MS
}
