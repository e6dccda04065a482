import { describe, expect, it } from 'vitest'
import { createCorrelator } from './correlator.ts'
import type { CorrelationIR, ExprIR } from './ir.ts'
import { correlationIR } from './rule-ir.fixture.ts'
import type { SocEvent } from './types.ts'

const base: CorrelationIR = correlationIR({
  aggregates: [{ fn: 'distinct', field: 'dst.port' }],
  when: { op: 'cmp', cmp: '>=', left: { ref: '$0' }, right: { lit: 3 } },
})

const conn = (
  ts: number,
  port: number,
  ip = '10.0.0.1',
  extra: Record<string, unknown> = {},
): SocEvent => ({
  kind: 'conn',
  ts,
  src: { ip },
  dst: { ip: '10.0.0.9', port },
  ...extra,
})

function run(ir: Partial<CorrelationIR>, events: SocEvent[]) {
  const correlator = createCorrelator({ ...base, ...ir })
  const firings = [...events.flatMap((e) => correlator.push(e)), ...correlator.flush()]
  return { firings, overflow: correlator.takeOverflow(), correlator }
}

describe('createCorrelator', () => {
  it('fires when distinct values in a sliding window reach the threshold, then stays quiet for a window', () => {
    const { firings } = run({}, [
      conn(0, 1),
      conn(1000, 2),
      conn(2000, 2),
      conn(3000, 3),
      conn(4000, 4),
      conn(9000, 5),
    ])
    expect(firings.map((f) => [f.event.ts, f.values, f.start, f.group])).toEqual([
      [3000, [3], 0, ['10.0.0.1']],
    ])
  })

  it('forgets events that slid out of the window', () => {
    expect(run({}, [conn(0, 1), conn(6000, 2), conn(10_500, 3)]).firings).toEqual([])
    expect(run({}, [conn(0, 1), conn(6000, 2), conn(9_999, 3)]).firings).toHaveLength(1)
  })

  it('fires again once a full window has passed after the alert', () => {
    const events = [0, 1, 2, 20, 21, 22].map((s, i) => conn(s * 1000, i))
    expect(run({}, events).firings.map((f) => f.event.ts)).toEqual([2000, 22_000])
  })

  it('keeps groups apart and skips events without the group field', () => {
    const events = [
      conn(0, 1, 'a'),
      conn(1, 2, 'b'),
      conn(2, 3, 'a'),
      conn(3, 4, 'b'),
      { kind: 'conn', ts: 4, dst: { ip: '10.0.0.9', port: 9 } },
    ]
    expect(run({}, events).firings).toEqual([])
  })

  it('counts per aligned bucket in a tumbling window, at most once per bucket', () => {
    const ir = { window: { type: 'tumbling', ms: 10_000 } } as const
    // 9 s and 11 s are in different buckets although 2 s apart.
    expect(run(ir, [conn(7000, 1), conn(9000, 2), conn(11_000, 3)]).firings).toEqual([])
    const firings = run(
      ir,
      [10_000, 11_000, 12_000, 13_000, 14_000].map((ts, i) => conn(ts, i)),
    ).firings
    expect(firings.map((f) => [f.event.ts, f.start])).toEqual([[12_000, 10_000]])
  })

  it('closes a session after a gap and fires once per session', () => {
    const ir = { window: { type: 'session', ms: 5000 } } as const
    expect(
      run(
        ir,
        [0, 4, 8, 12].map((s, i) => conn(s * 1000, i)),
      ).firings.map((f) => f.event.ts),
    ).toEqual([8000])
    expect(
      run(
        ir,
        [0, 4, 10, 14].map((s, i) => conn(s * 1000, i)),
      ).firings,
    ).toEqual([])
  })

  it('aggregates count, sum, min, max and avg, also while events leave the window', () => {
    const aggregates = [
      { fn: 'count' },
      { fn: 'sum', field: 'orig_bytes' },
      { fn: 'min', field: 'orig_bytes' },
      { fn: 'max', field: 'orig_bytes' },
      { fn: 'avg', field: 'orig_bytes' },
    ] as const
    // Three events, and the 50-byte one gone: only true once it has left the window.
    const when: ExprIR = {
      op: 'and',
      args: [
        { op: 'cmp', cmp: '>=', left: { ref: '$0' }, right: { lit: 3 } },
        { op: 'cmp', cmp: '<', left: { ref: '$3' }, right: { lit: 50 } },
      ],
    }
    const bytes = [50, 10, 30, 20]
    const events = bytes.map((b, i) => conn(i * 4000, i, '10.0.0.1', { orig_bytes: b }))
    // At 12 s the event of 0 s (50 bytes, the max) has left the 10 s window.
    const { firings } = run({ aggregates: [...aggregates], when }, events)
    expect(firings.map((f) => f.values)).toEqual([[3, 60, 10, 30, 20]])
  })

  it('measures the regularity of intervals (beacons)', () => {
    const aggregates = [{ fn: 'interval_cv' }, { fn: 'count' }] as const
    const when: ExprIR = {
      op: 'and',
      args: [
        { op: 'cmp', cmp: '>=', left: { ref: '$1' }, right: { lit: 6 } },
        { op: 'cmp', cmp: '<', left: { ref: '$0' }, right: { lit: 0.1 } },
      ],
    }
    const window = { type: 'sliding', ms: 3_600_000 } as const
    // Gaps 60, 60, 61, 59, 60 s: mean 60, variance 0.4.
    const regular = [0, 60, 120, 181, 240, 300].map((s) => conn(s * 1000, 443))
    const irregular = [0, 5, 120, 130, 290, 300].map((s) => conn(s * 1000, 443))
    const ir = { aggregates: [...aggregates], when, window }
    expect(run(ir, regular).firings[0]?.values[0]).toBeCloseTo(Math.sqrt(0.4) / 60, 6)
    expect(run(ir, irregular).firings).toEqual([])
  })

  it('counts groups over the limit and distinct values over the limit, never silently', () => {
    const limits = { groups: 2, distinct: 2, events: 100 }
    const { firings, overflow } = run({ limits }, [
      conn(0, 1, 'a'),
      conn(1, 1, 'b'),
      conn(2, 1, 'c'),
      conn(3, 2, 'a'),
      conn(4, 3, 'a'),
    ])
    expect(firings).toEqual([])
    expect(overflow).toEqual({ groups: 1, events: 0, distinct: 1, late: 0 })
  })

  it('drops the oldest event of a full window and counts it', () => {
    const { overflow } = run(
      { limits: { groups: 10, distinct: 10, events: 2 }, when: { op: 'const', value: false } },
      [conn(0, 1), conn(1, 2), conn(2, 3)],
    )
    expect(overflow.events).toBe(1)
  })

  it('reorders events within the lateness and counts later ones as late', () => {
    const lateness = 5000
    const events = [conn(0, 1), conn(3000, 3), conn(1000, 2), conn(9000, 4), conn(500, 9)]
    const { firings, overflow } = run({ lateness }, events)
    expect(firings.map((f) => f.event.ts)).toEqual([3000])
    expect(overflow.late).toBe(1)
    // Without lateness, the out-of-order event of 1 s is late too.
    expect(run({}, events).overflow.late).toBe(2)
  })

  it('gives the same firings for the same input (deterministic replay)', () => {
    const events = Array.from({ length: 500 }, (_, i) =>
      conn(i * 137, (i * 7919) % 13, `10.0.0.${i % 5}`),
    )
    const once = run({}, events).firings.map((f) => [f.event.ts, f.group, f.values])
    expect(once.length).toBeGreaterThan(5)
    expect(run({}, events).firings.map((f) => [f.event.ts, f.group, f.values])).toEqual(once)
  })
})
