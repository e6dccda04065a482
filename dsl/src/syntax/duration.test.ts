import { describe, expect, it } from 'vitest'
import { durationMs, formatDuration } from './duration.ts'

describe('durations', () => {
  it('reads every unit', () => {
    expect(['250ms', '30s', '5m', '1h', '7d'].map(durationMs)).toEqual([
      250, 30_000, 300_000, 3_600_000, 604_800_000,
    ])
    expect(() => durationMs('5w')).toThrow(/not a duration/)
  })

  it('writes the largest exact unit, and reads back the same', () => {
    for (const [ms, text] of [
      [0, '0s'],
      [200, '200ms'],
      [1500, '1500ms'],
      [60_000, '1m'],
      [90_000, '90s'],
      [86_400_000, '1d'],
    ] as const) {
      expect(formatDuration(ms)).toBe(text)
      expect(durationMs(text)).toBe(ms)
    }
  })
})
