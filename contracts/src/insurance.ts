/**
 * @module insurance
 * The attached cyber-risk insurance: cover starts on the 1st of the month after the month in
 * which service starts, and pays up to JPY 3,000,000 per company.
 *
 * "Service starts" is the day the provider confirmed data arriving from the sensor, the last
 * step before the customer is in service. Service that starts on the 1st still waits for the
 * next month's 1st: the terms say "the month after the month in which", not "the next 1st".
 * The terms name no period for the 3,000,000 limit, so it is treated as one aggregate per
 * company; callers with a policy that resets pass only that period's earlier payouts.
 */
import { addMonths, type CalendarDate, calendarDate, isAfter, isBefore } from './calendar-date.ts'
import { maxYen, minYen, subtractYen, type Yen, yen, ZERO_YEN } from './money.ts'

export const INSURANCE_LIMIT = yen(3_000_000)

/**
 * @example
 * coverageStartsOn(parseDate('2025-04-01')) //=> 2025-05-01
 * coverageStartsOn(parseDate('2025-12-15')) //=> 2026-01-01
 */
export function coverageStartsOn(serviceStartedOn: CalendarDate): CalendarDate {
  return addMonths(calendarDate(serviceStartedOn.y, serviceStartedOn.m, 1), 1)
}

/**
 * Whether an incident on `incidentOn` falls under the cover: on or after cover starts and,
 * once the contract has ended, no later than its last day of service.
 */
export function isCovered(
  serviceStartedOn: CalendarDate,
  incidentOn: CalendarDate,
  lastServiceDay?: CalendarDate,
): boolean {
  if (isBefore(incidentOn, coverageStartsOn(serviceStartedOn))) return false
  return lastServiceDay === undefined || !isAfter(incidentOn, lastServiceDay)
}

/** What the insurer can still pay on `claimed`, after `paidOutSoFar` under the same limit. */
export function insurancePayout(claimed: Yen, paidOutSoFar: Yen = ZERO_YEN): Yen {
  const remaining = maxYen(ZERO_YEN, subtractYen(INSURANCE_LIMIT, paidOutSoFar))
  return minYen(maxYen(ZERO_YEN, claimed), remaining)
}
