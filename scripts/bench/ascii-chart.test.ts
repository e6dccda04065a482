import { describe, expect, it } from 'vitest'
import { barChart } from './ascii-chart.ts'

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
