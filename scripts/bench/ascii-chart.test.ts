import { describe, expect, it } from 'vitest'
import { barChart, targetChart } from './ascii-chart.ts'

describe('barChart', () => {
  it('scales to the largest value or target and marks the target', () => {
    const chart = barChart(
      [
        { label: 'a', value: 5, target: 10, unit: '×' },
        { label: 'bb', value: 20 },
      ],
      10,
    ).split('\n')
    expect(chart[0]).toBe('a  ███ |      5.00× (target 10.0×)')
    expect(chart[1]).toBe('bb ██████████ 20.0')
  })

  it('fills the target mark when the value reaches it', () => {
    expect(barChart([{ label: 'x', value: 10, target: 5 }], 4)).toBe('x ████ 10.0 (target 5.00)')
  })
})

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
