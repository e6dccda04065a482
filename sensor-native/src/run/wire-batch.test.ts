import { communityIdV1, decodeBatch } from '@socbox/dsl/runtime'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  appendBatch,
  emptyBatch,
  encodeEvents,
  latestTimestamp,
  parseWireBatch,
  splitByClass,
  type WireGroup,
} from './wire-batch.ts'

const ep = (ip: string, port: number, internal: boolean) => ({ ip, port, internal })
const dns = (ts: number, query: string) => ({
  kind: 'dns',
  ts,
  flow: `1:${query}`,
  src: ep('10.0.0.5', 5353, true),
  dst: ep('8.8.8.8', 53, false),
  query,
  qtype: 'A',
})
const conn = (ts: number, bytes: number) => ({
  kind: 'conn',
  ts,
  flow: `1:c${ts}`,
  src: ep('10.0.0.5', 40000, true),
  dst: ep('1.1.1.1', 443, false),
  proto: 'tcp',
  bytes_out: bytes,
})
const intel = (ts: number) => ({
  kind: 'intel',
  ts,
  flow: '1:x',
  src: ep('10.0.0.5', 5353, true),
  dst: ep('8.8.8.8', 53, false),
  list: 'c2',
  ioc: 'domain',
  indicator: 'evil.example',
  value: 'a.evil.example',
  field: 'query',
  on: 'dns',
})

describe('wire batch', () => {
  it('encodes events that the edge decoder reads back unchanged', () => {
    const events = [dns(1000, 'a.example'), conn(990, 12), dns(1030, 'b.example'), intel(1000)]
    const batch = encodeEvents(events)
    expect(batch.groups.map((g) => [g.kind, g.n])).toEqual([
      ['dns', 2],
      ['conn', 1],
      ['intel', 1],
    ])
    expect(batch.groups[0]?.cols.ts).toEqual([1000, 30])
    const decoded = decodeBatch(JSON.stringify(batch))
    expect(decoded).toEqual([...events].sort((a, b) => a.ts - b.ts))
  })

  it('splits by delivery class without losing or reordering events', () => {
    const batch = encodeEvents([conn(1, 1), dns(2, 'q'), intel(3), conn(4, 2)])
    const parts = splitByClass(batch)
    expect([...parts.keys()]).toEqual(['conn', 'detail', 'evidence'])
    expect(parts.get('conn')?.n).toBe(2)
    const rejoined = [...parts.values()].flatMap((p) => decodeBatch(JSON.stringify(p)))
    expect(rejoined.sort((a, b) => a.ts - b.ts)).toEqual(decodeBatch(JSON.stringify(batch)))
  })

  it('appends batches kind by kind, re-basing ts deltas and filling absent columns', () => {
    const first = encodeEvents([dns(1000, 'a'), dns(1010, 'b')])
    const second = encodeEvents([{ ...dns(990, 'c'), rcode: 'NXDOMAIN' }, conn(995, 5)])
    const joined = emptyBatch()
    appendBatch(joined, first)
    appendBatch(joined, second)
    expect(joined.n).toBe(4)
    expect(joined.groups[0]?.cols.ts).toEqual([1000, 10, -20])
    expect(joined.groups[0]?.cols.rcode).toEqual([null, null, 'NXDOMAIN'])
    const decoded = decodeBatch(JSON.stringify(joined))
    expect(decoded.map((e) => e.ts)).toEqual([990, 995, 1000, 1010])
    expect(latestTimestamp(joined)).toBe(1010)
    expect(first.groups[0]?.n).toBe(2) // inputs are left alone
  })

  it('writes a flow the endpoints give as its protocol number, as the sensor does', () => {
    const e = dns(1000, 'a.example')
    const udp = { ...e, flow: communityIdV1(e.src.ip, e.dst.ip, 17, e.src.port, e.dst.port) }
    const c = conn(1001, 3)
    const tcp = { ...c, flow: communityIdV1(c.src.ip, c.dst.ip, 6, c.src.port, c.dst.port) }
    const batch = encodeEvents([udp, e, tcp])
    expect(batch.groups.map((g) => g.cols.flow)).toEqual([[17, e.flow], [6]])
    expect(decodeBatch(JSON.stringify(batch))).toEqual([udp, e, tcp])
  })

  it('round-trips any flows through the edge decoder, derived or sent', () => {
    const ip = fc.oneof(
      fc.ipV4(),
      fc.constantFrom('10.0.0.1', '10.0.0.2', 'fd00::1', '2001:db8::2', '::ffff:1.2.3.4'),
    )
    const event = fc
      .record({
        ts: fc.integer({ min: 0, max: 2_000_000_000_000 }),
        a: ip,
        b: ip,
        sp: fc.integer({ min: 0, max: 65535 }),
        dp: fc.integer({ min: 0, max: 65535 }),
        flow: fc.oneof(fc.constantFrom(6, 17, 1), fc.string()),
      })
      .map(({ ts, a, b, sp, dp, flow }) => ({
        kind: 'conn',
        ts,
        flow: typeof flow === 'string' ? flow : (communityIdV1(a, b, flow, sp, dp) ?? `1:${a}`),
        src: ep(a, sp, true),
        dst: ep(b, dp, false),
        proto: flow === 17 ? 'udp' : 'tcp',
      }))
    fc.assert(
      fc.property(fc.array(event, { maxLength: 20 }), (events) => {
        const sorted = [...events].sort((x, y) => x.ts - y.ts)
        expect(decodeBatch(JSON.stringify(encodeEvents(sorted)))).toEqual(sorted)
      }),
      { numRuns: 300 },
    )
  })

  it('refuses bytes that are not a wire v1 or v2 batch, and reads both as v2', () => {
    expect(() => parseWireBatch('{"v":3,"n":0,"groups":[]}')).toThrow(/not wire v1 or v2/)
    expect(parseWireBatch(Buffer.from('{"v":1,"n":0,"groups":[]}'))).toEqual(emptyBatch())
    expect(parseWireBatch('{"v":2,"n":0,"groups":[]}')).toEqual(emptyBatch())
  })

  it('joins a v2 chunk with derived flows and a v1 chunk into one v2 batch', () => {
    const v1 = encodeEvents([dns(1000, 'a.example')])
    const derived = encodeEvents([dns(1005, 'b.example')])
    ;(derived.groups[0] as WireGroup).cols.flow = [17]
    const joined = emptyBatch()
    appendBatch(joined, parseWireBatch(JSON.stringify({ ...v1, v: 1 })))
    appendBatch(joined, parseWireBatch(JSON.stringify(derived)))
    expect(joined.v).toBe(2)
    const [a, b] = decodeBatch(JSON.stringify(joined))
    expect(a?.flow).toBe(dns(1000, 'a.example').flow)
    const e = dns(1005, 'b.example')
    expect(b?.flow).toBe(communityIdV1(e.src.ip, e.dst.ip, 17, e.src.port, e.dst.port))
  })
})
