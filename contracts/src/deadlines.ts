/**
 * @module deadlines
 * The other dated obligations in the terms, all counted by the Civil Code rules in `period`:
 * - the provider ends the service: website notice at least 2 months before;
 * - a terms change: notice at least 1 week before its effective date;
 * - cure of a breach: 14 days after the written demand arrives;
 * - confidentiality: survives 5 years after the contract ends.
 */
import { addDays, type CalendarDate } from './calendar-date.ts'
import { latestNoticeDay, periodLastDay } from './period.ts'

/**
 * Last day the provider may post notice of ending the service after `lastServiceDay`.
 * @example
 * providerEndNoticeDeadline(parseDate('2025-09-30')) //=> 2025-07-31
 */
export function providerEndNoticeDeadline(lastServiceDay: CalendarDate): CalendarDate {
  return latestNoticeDay(addDays(lastServiceDay, 1), { months: 2 })
}

/**
 * Last day a terms change effective from 00:00 on `effectiveOn` may be announced: seven
 * whole days must lie between the announcement day and the effective day.
 * @example
 * termsChangeNoticeDeadline(parseDate('2025-04-08')) //=> 2025-03-31
 */
export function termsChangeNoticeDeadline(effectiveOn: CalendarDate): CalendarDate {
  return latestNoticeDay(effectiveOn, { days: 7 })
}

/**
 * Last day to cure a breach after a written demand received on `demandReceivedOn`; the day of
 * receipt is not counted, so termination is possible from the day after this one.
 * @example
 * cureDeadline(parseDate('2025-04-01')) //=> 2025-04-15
 */
export function cureDeadline(demandReceivedOn: CalendarDate): CalendarDate {
  return periodLastDay(addDays(demandReceivedOn, 1), { days: 14 })
}

/**
 * Last day confidentiality binds, for a contract whose last day of service is `endedOn`.
 * @example
 * confidentialityEndsOn(parseDate('2025-04-10')) //=> 2030-04-10
 */
export function confidentialityEndsOn(endedOn: CalendarDate): CalendarDate {
  return periodLastDay(addDays(endedOn, 1), { months: 60 })
}
