import { describe, expect, it } from 'vitest'
import { decodeBatch } from '../src/runtime/decode-batch.ts'
import type { SocEvent } from '../src/runtime/types.ts'
import { encodeBatch } from './encode-batch.ts'
import { syntheticEvents } from './synthetic-events.ts'

describe('bench encodeBatch', () => {
  it('writes batches the decoder reads back to the same events', () => {
    const events = syntheticEvents(500, 7)
    // Ties in ts come back in group order, so compare in one order: by ts, then by flow (unique).
    const order = (a: SocEvent, b: SocEvent) =>
      a.ts - b.ts || String(a.flow).localeCompare(String(b.flow))
    const decoded = decodeBatch(encodeBatch(events))
    expect(decoded.length).toBe(500)
    expect([...decoded].sort(order)).toEqual([...events].sort(order))
  })
})
