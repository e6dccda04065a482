import { describe, expect, it } from 'vitest'
import { ReplayPacer } from './replay-pacer.ts'

describe('ReplayPacer', () => {
  it('waits for the capture time scaled by the speed', () => {
    const p = new ReplayPacer(2)
    expect(p.delayFor(10_000, 500)).toBe(0)
    expect(p.delayFor(11_000, 500)).toBe(500) // 1 s of capture at 2x
    expect(p.delayFor(11_000, 900)).toBe(100)
    expect(p.delayFor(10_500, 900)).toBe(0) // late events never wait
  })

  it('never waits at speed 0', () => {
    const p = new ReplayPacer(0)
    p.delayFor(0, 0)
    expect(p.delayFor(1e9, 0)).toBe(0)
  })
})
