import { describe, expect, it } from 'vitest'
import { emptyLedger, gaps, isHandled, markHandled, tooFarAhead } from './seq-ledger.ts'

describe('seq ledger', () => {
  it('acknowledges in order as batches arrive in order', () => {
    let l = emptyLedger()
    for (const seq of [0, 1, 2]) l = markHandled(l, seq)
    expect(l).toEqual({ contiguous: 2, above: [] })
  })

  it('holds the ack below a hole and closes it when the missing batch arrives', () => {
    let l = markHandled(emptyLedger(), 0)
    l = markHandled(l, 2)
    l = markHandled(l, 4)
    expect(l.contiguous).toBe(0)
    expect(gaps(l)).toEqual([1, 3])
    l = markHandled(l, 1)
    expect(l).toEqual({ contiguous: 2, above: [4] })
    l = markHandled(l, 3)
    expect(l).toEqual({ contiguous: 4, above: [] })
    expect(gaps(l)).toEqual([])
  })

  it('knows a retried batch as handled, below and above the contiguous mark', () => {
    let l = markHandled(markHandled(emptyLedger(), 0), 5)
    expect(isHandled(l, 0)).toBe(true)
    expect(isHandled(l, 5)).toBe(true)
    expect(isHandled(l, 3)).toBe(false)
    const again = markHandled(l, 5)
    expect(again).toBe(l)
    l = markHandled(l, 3)
    expect(l.above).toEqual([3, 5])
  })

  it('reports a batch too far past the hole', () => {
    expect(tooFarAhead(emptyLedger(), 4095)).toBe(false)
    expect(tooFarAhead(emptyLedger(), 4096)).toBe(true)
  })

  it('caps the reported gaps', () => {
    const l = markHandled(emptyLedger(), 1000)
    expect(gaps(l, 3)).toEqual([0, 1, 2])
  })
})
