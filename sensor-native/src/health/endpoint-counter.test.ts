import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EndpointCounter } from './endpoint-counter.ts'

const HOUR = 3_600_000
const T = Date.UTC(2026, 10, 1)
const hosts = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `10.1.0.${from + i}`)

describe('endpoint counter', () => {
  it('counts distinct hosts over the last 24 hours and 30 days', () => {
    const c = new EndpointCounter()
    c.add(hosts(40), T)
    c.add(hosts(40), T + 10 * HOUR) // the same hosts again
    c.add(hosts(10, 100), T + 3 * 24 * HOUR) // three days later: the first 40 left the day
    // Sketches: within a host or two of the truth at these sizes.
    const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1)
    near(c.counts().last24h, 10)
    near(c.counts().last30d, 50)
    c.add(hosts(5, 200), T + 40 * 24 * HOUR)
    expect(c.counts()).toEqual({ last24h: 5, last30d: 5 })
    expect(new EndpointCounter().counts()).toEqual({ last24h: 0, last30d: 0 })
  })

  it('keeps bounded memory whatever the traffic', () => {
    const c = new EndpointCounter()
    for (let h = 0; h < 24 * 60; h++) c.add([`10.2.${h >> 8}.${h & 255}`], T + h * HOUR)
    const kept = c as unknown as { hours: Map<number, unknown>; days: Map<number, unknown> }
    expect(kept.hours.size).toBe(24)
    expect(kept.days.size).toBe(30)
    expect(c.counts().last30d).toBeGreaterThan(650)
    expect(c.counts().last30d).toBeLessThan(790)
  })

  it('is kept in the spool directory across restarts, and starts anew from a damaged file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-endpoints-'))
    const c = new EndpointCounter()
    c.add(hosts(25), T)
    c.save(dir)
    expect(EndpointCounter.load(dir).counts()).toEqual({ last24h: 25, last30d: 25 })
    writeFileSync(join(dir, 'endpoints.json'), '{"v":1,"hours":[[1,"AAAA"]],"days":[]}')
    const problems: string[] = []
    expect(EndpointCounter.load(dir, (p) => problems.push(p)).counts().last24h).toBe(0)
    expect(problems[0]).toMatch(/endpoints.json cannot be used .*counting endpoints anew/)
  })
})
