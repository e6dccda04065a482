/**
 * @module liability
 * The liability cap: total damages at most the price paid over the past year. It does not
 * apply to intent, gross negligence, IP breaches or confidentiality breaches; an IP
 * indemnity is capped like ordinary damages.
 *
 * "Over the past 1 year" is read as the year ending on `asOf` (the day the cause of the
 * damage arose), both ends included: a payment made on the same calendar day a year earlier
 * still counts. The narrower reading (excluding that day) could drop a whole annual
 * prepayment from the cap on its anniversary.
 */
import { addYears, type CalendarDate, isAfter, isBefore } from './calendar-date.ts'
import { maxYen, minYen, sumYen, type Yen, ZERO_YEN } from './money.ts'

export type Payment = {
  readonly paidOn: CalendarDate
  /** Negative for money returned to the customer (refunds), which lowers the cap. */
  readonly amount: Yen
}

export type ClaimBasis =
  | 'ordinary'
  | 'ip-indemnity'
  | 'intent'
  | 'gross-negligence'
  | 'ip-breach'
  | 'confidentiality-breach'

const UNCAPPED: ReadonlySet<ClaimBasis> = new Set([
  'intent',
  'gross-negligence',
  'ip-breach',
  'confidentiality-breach',
])

/** The price paid in the year ending on `asOf`, never below zero. */
export function paidInPastYear(payments: readonly Payment[], asOf: CalendarDate): Yen {
  const from = addYears(asOf, -1)
  const inWindow = payments.filter((p) => !isBefore(p.paidOn, from) && !isAfter(p.paidOn, asOf))
  return maxYen(ZERO_YEN, sumYen(inWindow.map((p) => p.amount)))
}

/** The cap for a claim of `basis`, or undefined when the cap does not apply. */
export function liabilityCap(
  payments: readonly Payment[],
  asOf: CalendarDate,
  basis: ClaimBasis,
): Yen | undefined {
  return UNCAPPED.has(basis) ? undefined : paidInPastYear(payments, asOf)
}

/**
 * What can be recovered of `claimed` damages.
 * @example
 * recoverableDamages(yen(5_000_000), [{ paidOn: parseDate('2024-04-10'), amount: yen(600_000) }],
 *   parseDate('2025-04-10'), 'ordinary') //=> 600_000
 */
export function recoverableDamages(
  claimed: Yen,
  payments: readonly Payment[],
  asOf: CalendarDate,
  basis: ClaimBasis,
): Yen {
  const cap = liabilityCap(payments, asOf, basis)
  const damages = maxYen(ZERO_YEN, claimed)
  return cap === undefined ? damages : minYen(damages, cap)
}
