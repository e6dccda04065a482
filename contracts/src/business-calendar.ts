/**
 * @module business-calendar
 * The support desk's calendar from the terms: weekdays 9:00–17:00 JST, closed on Saturdays,
 * Sundays, national holidays and the year-end break Dec 28 – Jan 4. Dates are JST dates and
 * instants are epoch milliseconds; nothing here reads the clock. Days outside 1990–2099 throw
 * rather than guess, because their holidays are not known.
 */
import { assert } from './assert.ts'
import {
  addDays,
  type CalendarDate,
  dayOfWeek,
  jstDateOf,
  jstInstant,
  jstTimeOfDay,
} from './calendar-date.ts'
import { isHoliday } from './jp-holidays.ts'

export const OPENING_HOUR = 9
export const CLOSING_HOUR = 17
export const INVALID_COUNT_MESSAGE = 'A business-day count must be a positive whole number.'

/** The year-end break spans the turn of the year, so it is two ranges of the same calendar. */
export function isYearEndBreak(date: CalendarDate): boolean {
  return (date.m === 12 && date.d >= 28) || (date.m === 1 && date.d <= 4)
}

export function isBusinessDay(date: CalendarDate): boolean {
  const weekday = dayOfWeek(date)
  return weekday !== 0 && weekday !== 6 && !isYearEndBreak(date) && !isHoliday(date)
}

/**
 * The first business day strictly after `date`.
 * @example
 * nextBusinessDay(parseDate('2025-12-26')) //=> 2026-01-05 (weekend, then Dec 28 – Jan 4)
 */
export function nextBusinessDay(date: CalendarDate): CalendarDate {
  let day = addDays(date, 1)
  // The longest closure (Golden Week 2019 ran 10 days) is far below this bound; it only
  // turns a holiday-table bug into an error instead of a hang.
  for (let i = 0; i < 31 && !isBusinessDay(day); i++) day = addDays(day, 1)
  assert(isBusinessDay(day), 'No business day within 31 days.')
  return day
}

/** The `count`-th business day after `date`; `date` itself never counts. */
export function addBusinessDays(date: CalendarDate, count: number): CalendarDate {
  assert(Number.isSafeInteger(count) && count > 0, INVALID_COUNT_MESSAGE)
  let day = date
  for (let i = 0; i < count; i++) day = nextBusinessDay(day)
  return day
}

/** Whether the desk is staffed at `instant`: open at 9:00:00.000, closed from 17:00:00.000. */
export function isOpen(instant: number): boolean {
  const time = jstTimeOfDay(instant)
  return (
    isBusinessDay(jstDateOf(instant)) &&
    time >= OPENING_HOUR * 3_600_000 &&
    time < CLOSING_HOUR * 3_600_000
  )
}

/** The instant the desk next opens, or `instant` itself when it is open then. */
export function nextOpening(instant: number): number {
  if (isOpen(instant)) return instant
  const today = jstDateOf(instant)
  const beforeOpening = jstTimeOfDay(instant) < OPENING_HOUR * 3_600_000
  const day = beforeOpening && isBusinessDay(today) ? today : nextBusinessDay(today)
  return jstInstant(day, OPENING_HOUR)
}

/**
 * When the first answer to an inquiry is due: 17:00 JST on the first business day after the
 * JST date the inquiry arrived. The terms promise an answer "by the next business day"; we
 * count from the calendar day of arrival whatever its hour, so an inquiry sent at 18:00 or on
 * a Saturday is not pushed back a further day for arriving outside opening hours.
 * @example
 * firstAnswerDue(Date.parse('2025-04-25T17:30:00+09:00')) // Friday evening
 * //=> Date.parse('2025-04-28T17:00:00+09:00') (Monday close)
 */
export function firstAnswerDue(inquiryInstant: number): number {
  return jstInstant(nextBusinessDay(jstDateOf(inquiryInstant)), CLOSING_HOUR)
}
