import { describe, expect, it } from 'vitest'
import { latencyChart } from './latency-chart.ts'

describe('latency chart', () => {
  it('puts each latency in its doubling bucket with bars scaled to the fullest', () => {
    const chart = latencyChart([3, 3, 3, 3, 5, 40], 8).split('\n')
    expect(chart).toHaveLength(5) // 2–4, 4–8, 8–16 (empty, kept), 16–32, 32–64
    expect(chart[0]).toMatch(/2–4 ms │████████ +4 +66\.7%$/)
    expect(chart[1]).toMatch(/4–8 ms │██ +1 +16\.7%$/)
    expect(chart[2]).toMatch(/8–16 ms │ +0 +0\.0%$/)
    expect(chart[4]).toMatch(/32–64 ms │██ +1 +16\.7%$/)
  })

  it('says so when there is nothing to chart', () => {
    expect(latencyChart([])).toBe('  (no latencies)')
  })
})
