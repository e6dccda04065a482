import { describe, expect, it } from 'vitest'
import { formatJst } from './jst.ts'

describe('formatJst', () => {
  it('shows UTC instants in Japan time, nine hours ahead', () => {
    expect(formatJst(Date.UTC(2026, 10, 27, 8, 33, 20))).toBe('2026-11-27 17:33:20 JST')
  })

  it('rolls over the date at 15:00 UTC', () => {
    expect(formatJst(Date.UTC(2026, 11, 31, 15, 0, 0))).toBe('2027-01-01 00:00:00 JST')
  })
})
