import { describe, expect, it } from 'vitest'
import { UsageMeter } from './usage-meter.ts'

describe('usage meter', () => {
  it('reports the CPU time used between samples as a share of one core, and resident memory', async () => {
    const meter = new UsageMeter()
    const before = process.cpuUsage()
    const start = performance.now()
    let x = 0
    while (performance.now() < start + 300) x += Math.sqrt(x + 1)
    const used = process.cpuUsage(before)
    const busy = meter.sample()
    const expected = ((used.user + used.system) / ((performance.now() - start) * 1000)) * 100
    expect(x).toBeGreaterThan(0)
    // The host is shared, so the loop gets what it gets; the meter must report just that.
    expect(Math.abs(busy.cpu - expected)).toBeLessThan(8)
    expect(busy.cpu).toBeGreaterThan(5)
    expect(busy.rssBytes).toBeGreaterThan(10 * 1024 * 1024)
    await new Promise((r) => setTimeout(r, 300))
    expect(meter.sample().cpu).toBeLessThan(busy.cpu)
  })
})
