import { describe, expect, it } from 'vitest'
import { Batcher } from './batcher.ts'
import { encodeEvents } from './wire-batch.ts'

const chunk = (n: number, from = 0) =>
  encodeEvents(
    Array.from({ length: n }, (_, i) => ({
      kind: 'dns',
      ts: 1000 + from + i,
      query: `q${from + i}`,
    })),
  )

describe('Batcher', () => {
  it('closes a batch when it is full, with the position after its last chunk', () => {
    const b = new Batcher(5, 1000)
    b.add(chunk(3), { offset: 100 }, 0)
    expect(b.due(0)).toBe(false)
    b.add(chunk(3, 3), { offset: 200 }, 1)
    expect(b.due(1)).toBe(true)
    const closed = b.take()
    expect(closed?.batch.n).toBe(6)
    expect(closed?.position).toEqual({ offset: 200 })
    expect(b.take()).toBeNull()
  })

  it('closes a batch when its first event has waited the interval', () => {
    const b = new Batcher(1000, 500)
    b.add(chunk(1), { offset: 10 }, 1000)
    b.add(chunk(1, 1), { offset: 20 }, 1400)
    expect(b.due(1499)).toBe(false)
    expect(b.due(1500)).toBe(true)
  })

  it('carries a moved position even when the source produced no events', () => {
    const b = new Batcher(10, 500)
    b.add(chunk(0), { offset: 4096 }, 0)
    expect(b.due(10_000)).toBe(false)
    expect(b.take()).toEqual({ batch: { v: 2, n: 0, groups: [] }, position: { offset: 4096 } })
  })
})
