import { describe, expect, it } from 'vitest'
import { backoffDelay, retryAfterMs } from './backoff.ts'

const policy = { baseMs: 100, capMs: 1000, maxAttempts: 5 }

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled by the jitter', () => {
    expect(backoffDelay(policy, 1, 0.5)).toBe(50)
    expect(backoffDelay(policy, 3, 0.5)).toBe(200)
    expect(backoffDelay(policy, 10, 0.999)).toBe(999)
  })
  it('never waits less than zero or more than the cap', () => {
    for (let attempt = 1; attempt < 40; attempt++) {
      const d = backoffDelay(policy, attempt, Math.random())
      expect(d).toBeGreaterThanOrEqual(0)
      expect(d).toBeLessThan(1000)
    }
  })
})

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-27T00:00:00Z')
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Fri, 27 Nov 2026 00:00:30 GMT', 30_000],
    ['Thu, 26 Nov 2026 23:00:00 GMT', 0],
  ])('reads %s', (header, ms) => {
    expect(retryAfterMs(header, now)).toBe(ms)
  })
  it('ignores an absent or unreadable header', () => {
    expect(retryAfterMs(null, now)).toBeUndefined()
    expect(retryAfterMs('soon', now)).toBeUndefined()
  })
})
