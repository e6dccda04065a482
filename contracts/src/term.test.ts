import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  addDays,
  type CalendarDate,
  compareDates,
  daysBetween,
  formatDate,
  fromDayNumber,
  parseDate,
} from './calendar-date.ts'
import { isTimelyNotice } from './period.ts'
import { finalTerm, meetsNonRenewalDeadline, nthTerm, type Term, termAt } from './term.ts'

const day = parseDate
const show = (term: Term | undefined) =>
  term && [term.index, formatDate(term.firstDay), formatDate(term.lastDay), term.days]
const anyDate = fc.integer({ min: 7300, max: 40000 }).map(fromDayNumber)
const within = (date: CalendarDate, term: Term) =>
  compareDates(term.firstDay, date) <= 0 && compareDates(date, term.lastDay) <= 0

describe('nthTerm', () => {
  it('starts the day after delivery and lasts one year', () => {
    expect(show(nthTerm(day('2024-04-10'), 1))).toEqual([1, '2024-04-11', '2025-04-10', 365])
    expect(show(nthTerm(day('2024-04-10'), 2))).toEqual([2, '2025-04-11', '2026-04-10', 365])
    expect(show(nthTerm(day('2023-04-10'), 1))).toEqual([1, '2023-04-11', '2024-04-10', 366])
  })

  it('handles leap days the way the Civil Code does', () => {
    expect(show(nthTerm(day('2023-02-28'), 1))).toEqual([1, '2023-03-01', '2024-02-29', 366])
    expect(show(nthTerm(day('2024-02-28'), 1))).toEqual([1, '2024-02-29', '2025-02-28', 366])
    expect(show(nthTerm(day('2024-02-28'), 2))).toEqual([2, '2025-03-01', '2026-02-28', 365])
    expect(show(nthTerm(day('2024-02-29'), 1))).toEqual([1, '2024-03-01', '2025-02-28', 365])
  })

  it('sets the non-renewal deadline two whole months before the term ends', () => {
    expect(formatDate(nthTerm(day('2024-04-10'), 1).nonRenewalDeadline)).toBe('2025-02-10')
    expect(formatDate(nthTerm(day('2024-03-31'), 1).nonRenewalDeadline)).toBe('2025-01-31')
    // Term ends Apr 29: a Feb 28 notice leaves Mar 1 – Apr 30, one day short of two months.
    expect(formatDate(nthTerm(day('2024-04-29'), 1).nonRenewalDeadline)).toBe('2025-02-27')
  })

  it('rejects indexes outside 1..1000', () => {
    expect(() => nthTerm(day('2024-04-10'), 0)).toThrow(RangeError)
    expect(() => nthTerm(day('2024-04-10'), 1.5)).toThrow(RangeError)
  })

  it('chains terms without gaps, each 365 or 366 days, deadlines timely and tight', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 60 }), (delivered, index) => {
        const term = nthTerm(delivered, index)
        const next = nthTerm(delivered, index + 1)
        expect(daysBetween(term.lastDay, next.firstDay)).toBe(1)
        expect([365, 366]).toContain(term.days)
        const end = addDays(term.lastDay, 1)
        expect(isTimelyNotice(term.nonRenewalDeadline, end, { months: 2 })).toBe(true)
        expect(isTimelyNotice(addDays(term.nonRenewalDeadline, 1), end, { months: 2 })).toBe(false)
        expect(daysBetween(term.nonRenewalDeadline, term.lastDay)).toBeGreaterThanOrEqual(59)
        expect(daysBetween(term.nonRenewalDeadline, term.lastDay)).toBeLessThanOrEqual(62)
      }),
    )
  })
})

describe('termAt', () => {
  const delivered = day('2024-04-10')

  it('finds the term in force and nothing before it starts', () => {
    expect(termAt({ deliveredOn: delivered }, day('2024-04-10'))).toBeUndefined()
    expect(show(termAt({ deliveredOn: delivered }, day('2024-04-11')))?.[0]).toBe(1)
    expect(show(termAt({ deliveredOn: delivered }, day('2025-04-10')))?.[0]).toBe(1)
    expect(show(termAt({ deliveredOn: delivered }, day('2025-04-11')))?.[0]).toBe(2)
    expect(show(termAt({ deliveredOn: delivered }, day('2034-04-11')))?.[0]).toBe(11)
  })

  it('ends after the term whose deadline the notice met', () => {
    const onTime = { deliveredOn: delivered, nonRenewalNoticeOn: day('2025-02-10') }
    expect(finalTerm(onTime)?.index).toBe(1)
    expect(termAt(onTime, day('2025-04-10'))?.index).toBe(1)
    expect(termAt(onTime, day('2025-04-11'))).toBeUndefined()

    const late = { deliveredOn: delivered, nonRenewalNoticeOn: day('2025-02-11') }
    expect(finalTerm(late)?.index).toBe(2)
    expect(termAt(late, day('2025-04-11'))?.index).toBe(2)
    expect(termAt(late, day('2026-04-11'))).toBeUndefined()
    expect(finalTerm({ deliveredOn: delivered })).toBeUndefined()
  })

  it('returns the term containing the date, for every date after delivery', () => {
    fc.assert(
      fc.property(anyDate, fc.integer({ min: 1, max: 20_000 }), (delivered, offset) => {
        const date = addDays(delivered, offset)
        const term = termAt({ deliveredOn: delivered }, date)
        expect(term && within(date, term)).toBe(true)
      }),
    )
  })

  it('never runs past the end fixed by a notice', () => {
    fc.assert(
      fc.property(
        anyDate,
        fc.integer({ min: -400, max: 3000 }),
        fc.integer({ min: 1, max: 4000 }),
        (delivered, noticeOffset, offset) => {
          const contract = {
            deliveredOn: delivered,
            nonRenewalNoticeOn: addDays(delivered, noticeOffset),
          }
          const final = finalTerm(contract)
          expect(final).toBeDefined()
          if (!final) return
          expect(meetsNonRenewalDeadline(final, addDays(delivered, noticeOffset))).toBe(true)
          if (final.index > 1) {
            const previous = nthTerm(delivered, final.index - 1)
            expect(meetsNonRenewalDeadline(previous, addDays(delivered, noticeOffset))).toBe(false)
          }
          const date = addDays(delivered, offset)
          const term = termAt(contract, date)
          expect(term !== undefined).toBe(compareDates(date, final.lastDay) <= 0)
        },
      ),
    )
  })
})
