import { describe, expect, it } from 'vitest'
import { listsPaddedTo, padEntry, targetPlan } from './bench-plan.ts'

describe('bench plan', () => {
  it('pads real lists to the total in their proportions, without touching them', () => {
    const real = [
      { list: 'a.domain', ioc: 'domain', entries: ['evil.example', 'bad.example', 'x.example'] },
      { list: 'a.ip', ioc: 'ip', entries: ['192.0.2.1'] },
    ]
    const lists = listsPaddedTo(real, 40)
    expect(lists.slice(0, 2)).toEqual(real)
    const pad = lists.slice(2)
    expect(pad.map((l) => [l.list, l.entries.length])).toEqual([
      ['bench.pad.domain', 27],
      ['bench.pad.ip', 9],
    ])
    expect(pad[0]?.entries.every((e) => e.endsWith('.bench-pad.example'))).toBe(true)
    expect(pad[1]?.entries.every((e) => /^2(4[0-9]|5[0-5])\./.test(e))).toBe(true)
    expect(listsPaddedTo(real, 2)).toEqual(real)
  })

  it('makes valid entries of each kind', () => {
    let x = 0.123
    const next = () => {
      x = (x * 9301 + 0.49297) % 1
      return x
    }
    expect(padEntry('hash', 0, next)).toMatch(/^[0-9a-f]{64}$/)
    expect(padEntry('ip', 50, next)).toMatch(/^2\d\d\.\d+\.\d+\.\d+\/28$/)
    expect(padEntry('url', 3, next)).toMatch(
      /^[0-9a-z]+\.bench-pad\.example\/[0-9a-z]+\/[0-9a-z]+\.php\?id=3$/,
    )
  })

  it('the target plan has 1M domains, about 1M IPs and 100k URLs', () => {
    const plan = targetPlan()
    const sizes = plan.intel.map((l) => l.entries.length)
    expect(sizes[0]).toBeGreaterThan(999_000)
    expect(sizes[1]).toBeGreaterThan(990_000) // a few random draws repeat
    expect(sizes[2]).toBe(100_000)
  })
})
