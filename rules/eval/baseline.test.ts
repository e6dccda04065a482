import { describe, expect, it } from 'vitest'
import { baselineOf, compareWithBaseline } from './baseline.ts'
import type { CaseOutcome } from './score-cases.ts'

const outcome = (id: string, passed: boolean): CaseOutcome => ({
  id,
  label: 'RECON',
  passed,
  unexpected: [],
  matching: [],
  info: [],
})

describe('baseline', () => {
  it('finds cases that passed before and fail now, and new passes', () => {
    const now = [outcome('A', false), outcome('B', true), outcome('C', true)]
    expect(compareWithBaseline(now, { passing: ['A', 'B'] })).toEqual({
      regressions: ['A'],
      progress: ['C'],
    })
  })

  it('counts a baseline case that vanished from the dev set as a regression', () => {
    expect(compareWithBaseline([], { passing: ['A'] }).regressions).toEqual(['A'])
  })

  it('records the passing cases, sorted', () => {
    expect(baselineOf([outcome('B', true), outcome('A', true), outcome('C', false)])).toEqual({
      passing: ['A', 'B'],
    })
  })
})
