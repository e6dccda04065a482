import { describe, expect, it } from 'vitest'
import { policyTime } from './policy-date.ts'

describe('policy dates', () => {
  it('reads a bare date as a JST day: its start, or as an end the whole day', () => {
    expect(policyTime('2027-03-31', false)).toBe(Date.parse('2027-03-31T00:00:00+09:00'))
    expect(policyTime('2027-03-31', true)).toBe(Date.parse('2027-04-01T00:00:00+09:00'))
  })
  it('reads times as JST unless a zone is given', () => {
    expect(policyTime('2026-12-01T09:30', true)).toBe(Date.parse('2026-12-01T00:30:00Z'))
    expect(policyTime('2026-12-01T09:30:15Z', false)).toBe(Date.parse('2026-12-01T09:30:15Z'))
    expect(policyTime('2026-12-01T09:30-05:00', false)).toBe(Date.parse('2026-12-01T14:30:00Z'))
  })
  it('refuses dates and times that do not exist', () => {
    expect(policyTime('2026-02-30', false)).toBeUndefined()
    expect(policyTime('2026-12-01T24:00', false)).toBeUndefined()
    expect(policyTime('tomorrow', false)).toBeUndefined()
  })
})
