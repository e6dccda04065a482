/**
 * @module settlement
 * Money owed either way when a term ends early or the service fails, for one term at a time.
 *
 * Choices where the terms are silent, each the reading a fair but demanding customer expects:
 * - A day's price is the term's fee divided by the days in that term (365 or 366), so every
 *   day of a term is worth the same whether the customer pays for it or is compensated for it,
 *   and the days of a whole term add up to exactly its fee.
 * - The last day of service counts as used: service runs to the end of that day.
 * - Rounding goes to the customer: a penalty is rounded down, a refund or compensation up.
 *   Each amount is rounded once from the exact fraction; only defect compensation multiplies
 *   a rounded day price, because the terms define it as days times the per-day price.
 * - Amounts are on whatever tax basis `annualFee` and `paid` are given in; no tax is added.
 */
import { assert } from './assert.ts'
import { type CalendarDate, daysBetween, MS_PER_DAY } from './calendar-date.ts'
import { maxYen, multiplyYen, prorate, subtractYen, type Yen, yen, ZERO_YEN } from './money.ts'
import type { Term } from './term.ts'

export type TermAccount = {
  readonly term: Term
  /** The price of the right of use for this term. */
  readonly annualFee: Yen
  /** What the customer has already paid toward this term, from 0 to `annualFee`. */
  readonly paid: Yen
}

export const INVALID_ACCOUNT_MESSAGE = 'Fee must be >= 0 and paid must lie between 0 and the fee.'
export const DAY_OUTSIDE_TERM_MESSAGE = 'The last day of service must not fall after the term.'
export const INVALID_OUTAGE_MESSAGE = 'An outage must end no earlier than it was learned of.'

function checkAccount({ annualFee, paid }: TermAccount): void {
  assert(annualFee >= 0 && paid >= 0 && paid <= annualFee, INVALID_ACCOUNT_MESSAGE)
}

/**
 * Days of `term` used when service stops at the end of `lastServiceDay`. A day before the
 * term (cancelling before it starts) uses none.
 */
export function usedDays(term: Term, lastServiceDay: CalendarDate): number {
  const used = daysBetween(term.firstDay, lastServiceDay) + 1
  assert(used <= term.days, DAY_OUTSIDE_TERM_MESSAGE)
  return Math.max(0, used)
}

/**
 * The per-day price of the right of use, rounded up: it is used only for compensation paid
 * to the customer.
 * @example
 * perDayPrice(yen(120_000), term) //=> 329 for a 365-day term (328.77 rounded up)
 */
export function perDayPrice(annualFee: Yen, term: Term): Yen {
  return prorate(annualFee, 1, term.days, 'up')
}

export type EarlyCancellation = {
  readonly usedDays: number
  readonly remainingDays: number
  /** The penalty: the fee for the remaining days, less what was paid beyond the days used. */
  readonly penalty: Yen
  /** Ordinary fees for days already used and not yet paid; not part of the penalty. */
  readonly outstandingFee: Yen
}

/**
 * Early cancellation by the customer (or by the provider for the customer's fault): the
 * customer owes "the total fee for the remaining term" in one sum on the cancellation day.
 * What the customer already paid beyond the days used goes toward it rather than being
 * charged twice, so `penalty + outstandingFee + paid` is exactly the annual fee: cancelling
 * never costs more than staying to the end of the term.
 * @example
 * earlyCancellation({ term, annualFee: yen(365_000), paid: yen(0) }, lastDay)
 * //=> with 100 days used: { penalty: 265_000, outstandingFee: 100_000, … }
 */
export function earlyCancellation(
  account: TermAccount,
  cancelledOn: CalendarDate,
): EarlyCancellation {
  checkAccount(account)
  const { term, annualFee, paid } = account
  const used = usedDays(term, cancelledOn)
  const remainingDays = term.days - used
  const remainingFee = prorate(annualFee, remainingDays, term.days, 'down')
  const usedFee = subtractYen(annualFee, remainingFee)
  const paidBeyondUse = maxYen(ZERO_YEN, subtractYen(paid, usedFee))
  return {
    usedDays: used,
    remainingDays,
    penalty: maxYen(ZERO_YEN, subtractYen(remainingFee, paidBeyondUse)),
    outstandingFee: maxYen(ZERO_YEN, subtractYen(usedFee, paid)),
  }
}

export type UnexpiredRefund = {
  readonly usedDays: number
  /** The unexpired part of what was paid, returned to the customer. */
  readonly refund: Yen
  /** Fees for days used beyond what was paid; the customer still owes these. */
  readonly outstandingFee: Yen
}

/**
 * Refund of the unexpired remaining portion of the price paid, when the provider ends the
 * service or the customer cancels after a terms change. The used part is rounded down, so
 * the refund is rounded up.
 */
export function unexpiredRefund(
  account: TermAccount,
  lastServiceDay: CalendarDate,
): UnexpiredRefund {
  checkAccount(account)
  const { term, annualFee, paid } = account
  const used = usedDays(term, lastServiceDay)
  const usedFee = prorate(annualFee, used, term.days, 'down')
  return {
    usedDays: used,
    refund: maxYen(ZERO_YEN, subtractYen(paid, usedFee)),
    outstandingFee: maxYen(ZERO_YEN, subtractYen(usedFee, paid)),
  }
}

export type DefectCompensation = {
  readonly fullDays: number
  readonly perDay: Yen
  readonly amount: Yen
}

/**
 * Compensation when, after replacement, the service is still completely unusable: one
 * per-day price for each full 24 hours from the instant the provider learned of the outage
 * to `restoredAt` (pass the current instant for an outage still going on). A partial day
 * earns nothing; the terms say "full 24 hours". The per-day price is that of `term`, the
 * term in which the provider learned of it.
 */
export function defectCompensation(
  annualFee: Yen,
  term: Term,
  learnedAt: number,
  restoredAt: number,
): DefectCompensation {
  assert(
    Number.isSafeInteger(learnedAt) && Number.isSafeInteger(restoredAt) && restoredAt >= learnedAt,
    INVALID_OUTAGE_MESSAGE,
  )
  assert(annualFee >= 0, INVALID_ACCOUNT_MESSAGE)
  const fullDays = Math.floor((restoredAt - learnedAt) / MS_PER_DAY)
  const perDay = perDayPrice(annualFee, term)
  return { fullDays, perDay, amount: multiplyYen(perDay, fullDays) }
}

/** Convenience for callers that hold a plain number of yen from storage. */
export function termAccount(term: Term, annualFee: number, paid: number): TermAccount {
  const account = { term, annualFee: yen(annualFee), paid: yen(paid) }
  checkAccount(account)
  return account
}
