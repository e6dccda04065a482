import { describe, expect, it } from 'vitest'
import { targetChart } from './ascii-chart.ts'

describe('targetChart', () => {
  it('scales each row to its own target, at one column, and says whether it is met', () => {
    const chart = targetChart(
      [
        { label: 'gbps', value: 5, target: 10 },
        { label: 'x', value: 100, target: 50, unit: '×' },
        { label: 'mb', value: 75, target: 150, atMost: true },
      ],
      8,
    ).split('\n')
    expect(chart[0]).toBe('gbps ███  |   5.00 (target 10.0: not met)')
    expect(chart[1]).toBe('x    ████████ 100× (target 50.0×: met)')
    expect(chart[2]).toBe('mb   ███  |   75.0 (target ≤ 150: met)')
  })
})
