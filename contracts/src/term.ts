/**
 * @module term
 * The contract term: 1 year from the day hardware delivery completes, renewed automatically
 * for 1 year at a time unless the customer's written notice of non-renewal reaches the sales
 * partner at least 2 months before the term ends.
 *
 * Which days count (the terms are silent; we follow the Civil Code, Arts. 140–143):
 * - Delivery completes part-way through its day, so that day is not counted: the first term
 *   runs from the day after delivery through the day that corresponds to the delivery day one
 *   year later. Delivered 2024-04-10 → term 2024-04-11 … 2025-04-10. The customer gets the
 *   full year of service it pays for, not a year less the delivery day.
 * - A renewal starts at 00:00 on the day after the previous term, so that day counts.
 * - The non-renewal deadline is the last day a notice can reach the partner and still leave
 *   two whole months, after the notice day, before the term ends: term ending 2025-04-10 →
 *   deadline 2025-02-10; term ending 2025-03-31 → 2025-01-31. It is not moved for weekends.
 *   Near month ends this is a day earlier than "the same date two months before" (term ending
 *   2025-04-29 → 2025-02-27, not 02-28): a deadline we show a customer must be one the
 *   partner cannot dispute, or the customer could lose a year to a one-day argument.
 * - A notice that misses the deadline still counts, for the next term: the contract renews
 *   once more and then ends, so the customer need not send it twice.
 */
import { assert } from './assert.ts'
import { addDays, type CalendarDate, daysBetween, isAfter, isBefore } from './calendar-date.ts'
import { latestNoticeDay, periodLastDay } from './period.ts'

export type Contract = {
  /** JST date on which hardware delivery completed. */
  readonly deliveredOn: CalendarDate
  /** JST date the partner received the customer's written notice of non-renewal. */
  readonly nonRenewalNoticeOn?: CalendarDate | undefined
}

export type Term = {
  /** 1 for the initial term, 2 for the first renewal, and so on. */
  readonly index: number
  readonly firstDay: CalendarDate
  /** Inclusive: service runs through the end of this day. */
  readonly lastDay: CalendarDate
  /** Days in the term, 365 or 366; the divisor for every per-day amount. */
  readonly days: number
  /** Last day a non-renewal notice can reach the partner to end the contract after this term. */
  readonly nonRenewalDeadline: CalendarDate
}

export const TERM_LENGTH = { months: 12 } as const
export const NON_RENEWAL_NOTICE = { months: 2 } as const
export const INVALID_TERM_INDEX_MESSAGE = 'A term index must be a whole number from 1 to 1000.'

function makeTerm(index: number, firstDay: CalendarDate): Term {
  const lastDay = periodLastDay(firstDay, TERM_LENGTH)
  return Object.freeze({
    index,
    firstDay,
    lastDay,
    days: daysBetween(firstDay, lastDay) + 1,
    nonRenewalDeadline: latestNoticeDay(addDays(lastDay, 1), NON_RENEWAL_NOTICE),
  })
}

/** Terms in order, renewing forever; the caller decides where to stop. */
function* terms(deliveredOn: CalendarDate): Generator<Term> {
  let term = makeTerm(1, addDays(deliveredOn, 1))
  // Terms chain from each other, not from the delivery date: after a Feb 29 start the
  // renewals begin on Mar 1 (Art. 143), and the bound stops a runaway caller.
  while (term.index <= 1000) {
    yield term
    term = makeTerm(term.index + 1, addDays(term.lastDay, 1))
  }
}

/**
 * The `index`-th term of a contract whose hardware was delivered on `deliveredOn`, assuming
 * it has been renewed that far.
 * @example
 * nthTerm(parseDate('2024-04-10'), 2)
 * //=> { index: 2, firstDay: 2025-04-11, lastDay: 2026-04-10, days: 365, nonRenewalDeadline: 2026-02-10 }
 */
export function nthTerm(deliveredOn: CalendarDate, index: number): Term {
  assert(Number.isInteger(index) && index >= 1 && index <= 1000, INVALID_TERM_INDEX_MESSAGE)
  for (const term of terms(deliveredOn)) if (term.index === index) return term
  throw new RangeError(INVALID_TERM_INDEX_MESSAGE)
}

/** Whether a notice received on `noticeOn` ends the contract at the end of `term`. */
export function meetsNonRenewalDeadline(term: Term, noticeOn: CalendarDate): boolean {
  return !isAfter(noticeOn, term.nonRenewalDeadline)
}

/** The term after which the contract ends, or undefined while it keeps renewing. */
export function finalTerm(contract: Contract): Term | undefined {
  const notice = contract.nonRenewalNoticeOn
  if (notice === undefined) return undefined
  for (const term of terms(contract.deliveredOn)) {
    if (meetsNonRenewalDeadline(term, notice)) return term
  }
  throw new RangeError(INVALID_TERM_INDEX_MESSAGE)
}

/**
 * The term in force on `date`: undefined before the first term starts (up to and including
 * the delivery day) and after the contract has ended by non-renewal.
 */
export function termAt(contract: Contract, date: CalendarDate): Term | undefined {
  const final = finalTerm(contract)
  for (const term of terms(contract.deliveredOn)) {
    if (isBefore(date, term.firstDay)) return undefined
    if (final !== undefined && term.index > final.index) return undefined
    if (!isAfter(date, term.lastDay)) return term
  }
  throw new RangeError(INVALID_TERM_INDEX_MESSAGE)
}
