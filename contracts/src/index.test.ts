import { describe, expect, it } from 'vitest'
import * as contracts from './index.ts'

// One story through the public entry point, so that a missing or renamed export breaks here
// rather than in the edge or the CLI.
describe('@socbox/contracts', () => {
  const { parseDate, formatDate, yen } = contracts

  it('carries a contract from delivery to early cancellation', () => {
    const contract = { deliveredOn: parseDate('2025-03-14') }
    const now = Date.parse('2025-11-20T15:30:00Z') // 2025-11-21 00:30 JST
    const today = contracts.jstDateOf(now)
    const term = contracts.termAt(contract, today)
    expect(
      term && [term.index, formatDate(term.lastDay), formatDate(term.nonRenewalDeadline)],
    ).toEqual([1, '2026-03-14', '2026-01-14'])
    if (!term) return
    const account = contracts.termAccount(term, 365_000, 0)
    const cancellation = contracts.earlyCancellation(account, today)
    expect(cancellation.usedDays + cancellation.remainingDays).toBe(365)
    expect(contracts.formatYen(cancellation.penalty)).toBe('¥113,000')
    expect(contracts.formatYen(yen(cancellation.penalty + cancellation.outstandingFee))).toBe(
      '¥365,000',
    )
    // The figures quoted in README.md and examples/settle.ts.
    const readme = contracts.earlyCancellation(contracts.termAccount(term, 600_000, 150_000), today)
    expect([readme.penalty, readme.outstandingFee]).toEqual([185_753, 264_247])
  })

  it('answers an inquiry sent on a holiday eve by the next business day’s close', () => {
    const due = contracts.firstAnswerDue(Date.parse('2025-11-21T18:00:00+09:00'))
    // Sat 22, Sun 23 (Labour Thanksgiving), Mon 24 substitute holiday: due Tuesday.
    expect(new Date(due).toISOString()).toBe('2025-11-25T08:00:00.000Z')
  })
})
