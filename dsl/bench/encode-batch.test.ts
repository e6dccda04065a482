import { describe, expect, it } from 'vitest'
import { communityIdV1 } from '../src/runtime/community-id.ts'
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
  it('writes a flow the endpoints give as its protocol number, as the sensor does', () => {
    const src = { ip: '10.0.0.5', port: 5353, internal: true }
    const dst = { ip: '8.8.8.8', port: 53, internal: false }
    const flow = communityIdV1(src.ip, dst.ip, 17, src.port, dst.port) as string
    const event: SocEvent = { kind: 'dns', ts: 1, flow, src, dst, proto: 'udp' }
    const text = encodeBatch([event])
    expect(text).toContain('"flow":[17]')
    expect(decodeBatch(text)).toEqual([event])
  })
})
