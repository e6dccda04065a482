import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, parseDate } from './calendar-date.ts'
import {
  type ClaimBasis,
  liabilityCap,
  type Payment,
  paidInPastYear,
  recoverableDamages,
} from './liability.ts'
import { yen } from './money.ts'

const day = parseDate
const pay = (paidOn: string, amount: number): Payment => ({
  paidOn: day(paidOn),
  amount: yen(amount),
})

describe('paidInPastYear', () => {
  const payments = [
    pay('2024-04-09', 1),
    pay('2024-04-10', 600_000),
    pay('2025-04-10', 20),
    pay('2025-04-11', 300),
  ]

  it('counts the year ending on the day, both ends included', () => {
    expect(paidInPastYear(payments, day('2025-04-10'))).toBe(600_020)
    expect(paidInPastYear(payments, day('2025-04-11'))).toBe(320)
    expect(paidInPastYear(payments, day('2024-04-09'))).toBe(1)
  })

  it('nets refunds but never goes below zero', () => {
    expect(
      paidInPastYear([pay('2025-01-01', 1000), pay('2025-02-01', -400)], day('2025-03-01')),
    ).toBe(600)
    expect(paidInPastYear([pay('2025-02-01', -400)], day('2025-03-01'))).toBe(0)
  })
})

describe('liabilityCap', () => {
  const payments = [pay('2024-04-10', 600_000)]
  const asOf = day('2025-04-10')

  it('caps ordinary damages and IP indemnity, not intent, gross negligence or breaches', () => {
    expect(liabilityCap(payments, asOf, 'ordinary')).toBe(600_000)
    expect(liabilityCap(payments, asOf, 'ip-indemnity')).toBe(600_000)
    for (const basis of [
      'intent',
      'gross-negligence',
      'ip-breach',
      'confidentiality-breach',
    ] as const)
      expect(liabilityCap(payments, asOf, basis)).toBeUndefined()
    expect(recoverableDamages(yen(5_000_000), payments, asOf, 'ordinary')).toBe(600_000)
    expect(recoverableDamages(yen(5_000_000), payments, asOf, 'intent')).toBe(5_000_000)
    expect(recoverableDamages(yen(100), payments, asOf, 'ordinary')).toBe(100)
  })

  it('never lets capped damages exceed the claim or the year’s payments', () => {
    const basis = fc.constantFrom<ClaimBasis>('ordinary', 'ip-indemnity', 'intent', 'ip-breach')
    const payment = fc.record({
      offset: fc.integer({ min: -800, max: 10 }),
      amount: fc.integer({ min: -1_000_000, max: 10_000_000 }),
    })
    fc.assert(
      fc.property(fc.array(payment), fc.integer({ min: 0, max: 1e9 }), basis, (raw, claim, b) => {
        const payments = raw.map((p) => ({
          paidOn: addDays(asOf, p.offset),
          amount: yen(p.amount),
        }))
        const recovered = recoverableDamages(yen(claim), payments, asOf, b)
        expect(recovered).toBeGreaterThanOrEqual(0)
        expect(recovered).toBeLessThanOrEqual(claim)
        const cap = liabilityCap(payments, asOf, b)
        if (cap !== undefined) expect(recovered).toBeLessThanOrEqual(cap)
        else expect(recovered).toBe(claim)
      }),
    )
  })
})
