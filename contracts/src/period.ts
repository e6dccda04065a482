/**
 * @module period
 * Periods counted in days, months or years the way the Japanese Civil Code counts them
 * (Arts. 140–143), because the terms are governed by Japanese law and say only "1 year from",
 * "at least 2 months before" and "at least 1 week before".
 *
 * - A period that starts part-way through a day does not count that day (Art. 140), so the
 *   caller passes the first full day as `firstDay`.
 * - A period in months or years ends at the end of the day before the day that corresponds to
 *   `firstDay`; when that month has no corresponding day, at the end of the month (Art. 143).
 */
import { assert } from './assert.ts'
import {
  addDays,
  addMonths,
  type CalendarDate,
  calendarDate,
  daysInMonth,
  isAfter,
} from './calendar-date.ts'

export type Length = { readonly months: number } | { readonly days: number }

export const INVALID_LENGTH_MESSAGE = 'A period length must be a positive whole number.'

function checkLength(length: Length): void {
  const n = 'months' in length ? length.months : length.days
  assert(Number.isSafeInteger(n) && n > 0, INVALID_LENGTH_MESSAGE)
}

/**
 * The last day (inclusive) of a period whose first full day is `firstDay`.
 * @example
 * periodLastDay(parseDate('2024-04-11'), { months: 12 }) //=> 2025-04-10
 * periodLastDay(parseDate('2024-02-29'), { months: 12 }) //=> 2025-02-28 (no Feb 29 in 2025)
 */
export function periodLastDay(firstDay: CalendarDate, length: Length): CalendarDate {
  checkLength(length)
  if ('days' in length) return addDays(firstDay, length.days - 1)
  const shifted = addMonths(firstDay, length.months)
  // addMonths clamps, so a clamped result means the corresponding day is missing: the period
  // then ends on the last day of that month instead of the day before it.
  const clamped = shifted.d !== firstDay.d
  return clamped
    ? calendarDate(shifted.y, shifted.m, daysInMonth(shifted.y, shifted.m))
    : addDays(shifted, -1)
}

/**
 * The last day on which a notice can be given so that at least `length` passes before the
 * event starting at 00:00 on `eventDay`. The notice day itself is not counted (Art. 140: a
 * notice arrives part-way through its day), so a whole `length` of full days must lie between
 * the notice day and `eventDay`.
 * @example
 * latestNoticeDay(parseDate('2025-04-01'), { months: 2 }) //=> 2025-01-31
 * latestNoticeDay(parseDate('2025-04-08'), { days: 7 })   //=> 2025-03-31
 */
export function latestNoticeDay(eventDay: CalendarDate, length: Length): CalendarDate {
  checkLength(length)
  if ('days' in length) return addDays(eventDay, -length.days - 1)
  // Going back with clamping can only land early (Mar 30 − 1 month → Feb 28), never late, so
  // step forward while the next day still leaves a full period; at most a few steps.
  let day = addDays(addMonths(eventDay, -length.months), -1)
  while (isTimelyNotice(addDays(day, 1), eventDay, length)) day = addDays(day, 1)
  return day
}

/** True when a notice given on `noticeDay` leaves at least `length` before `eventDay`. */
export function isTimelyNotice(
  noticeDay: CalendarDate,
  eventDay: CalendarDate,
  length: Length,
): boolean {
  return !isAfter(periodLastDay(addDays(noticeDay, 1), length), addDays(eventDay, -1))
}
