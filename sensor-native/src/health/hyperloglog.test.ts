import { describe, expect, it } from 'vitest'
import { HyperLogLog } from './hyperloglog.ts'

const hosts = (n: number, prefix = '10.0') =>
  Array.from({ length: n }, (_, i) => `${prefix}.${i >> 8}.${i & 255}`)

describe('HyperLogLog', () => {
  it('counts small sets almost exactly and repeats once', () => {
    const h = new HyperLogLog()
    for (const ip of [...hosts(300), ...hosts(300)]) h.add(ip)
    expect(Math.abs(h.count() - 300)).toBeLessThanOrEqual(6)
    expect(new HyperLogLog().count()).toBe(0)
  })

  it('stays within a few percent for large sets', () => {
    const h = new HyperLogLog()
    for (const ip of hosts(50_000)) h.add(ip)
    expect(Math.abs(h.count() - 50_000) / 50_000).toBeLessThan(0.05)
  })

  it('merges to the count of the union and survives base64', () => {
    const a = new HyperLogLog()
    const b = new HyperLogLog()
    for (const ip of hosts(800)) a.add(ip)
    for (const ip of hosts(800).slice(400)) b.add(ip)
    for (const ip of hosts(400, '192.168')) b.add(ip)
    a.merge(HyperLogLog.fromBase64(b.toBase64()))
    expect(Math.abs(a.count() - 1200)).toBeLessThanOrEqual(36)
    expect(() => HyperLogLog.fromBase64('AAAA')).toThrow(/registers/)
  })
})
