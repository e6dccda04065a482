// The engine pushes a sequence only the events its index says may match a step; the others only
// tick it. Same alerts and the same late counts as a sequencer pushed every event.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEngine } from './create-engine.ts'
import type { ExprIR, SequenceIR, StepIR } from './ir.ts'
import { sequenceIR, stepIR } from './rule-ir.fixture.ts'
import { createSequencer } from './sequencer.ts'
import type { SocEvent } from './types.ts'

const eq = (ref: string, lit: string | number): ExprIR => ({
  op: 'cmp',
  cmp: '==',
  left: { ref },
  right: { lit },
})
const step = stepIR
const sequence = (id: string, lateness: number, steps: StepIR[], until: StepIR | null) =>
  sequenceIR({ id, within: 5_000, lateness, steps, until })

const tcp = (port: number): ExprIR => ({
  op: 'and',
  args: [eq('proto', 'tcp'), eq('dst.port', port)],
})
const rules: SequenceIR[] = [
  sequence(
    'SB-T-0001',
    0,
    [step('dl', 'http', eq('status', 200)), step('c2', 'conn', tcp(4444))],
    null,
  ),
  sequence(
    'SB-T-0002',
    0,
    [step('a', 'conn', tcp(22)), step('no', 'conn', tcp(23), true), step('b', 'conn', tcp(3389))],
    step('stop', 'http', eq('status', 500)),
  ),
  sequence(
    'SB-T-0003',
    2_000,
    [step('dl', 'http', eq('status', 200)), step('c2', 'conn', tcp(4444))],
    null,
  ),
]

describe('sequences the index skips', () => {
  it('raise the alerts and count the late events of a sequencer that sees every event', () => {
    const event = fc.oneof(
      fc.record({
        kind: fc.constant('conn'),
        port: fc.constantFrom(22, 23, 80, 443, 3389, 4444),
        src: fc.constantFrom('10.0.0.1', '10.0.0.2'),
        step: fc.integer({ min: -3000, max: 2000 }),
      }),
      fc.record({
        kind: fc.constant('http'),
        port: fc.constant(80),
        src: fc.constantFrom('10.0.0.1', '10.0.0.2'),
        step: fc.integer({ min: -3000, max: 2000 }),
      }),
    )
    fc.assert(
      fc.property(fc.array(event, { minLength: 1200, maxLength: 1600 }), (drawn) => {
        let ts = 10_000
        const events: SocEvent[] = drawn.map((e, i) => {
          ts += e.step
          const base = { ts, src: { ip: e.src }, dst: { ip: '10.0.0.9', port: e.port } }
          return e.kind === 'conn'
            ? { kind: 'conn', ...base, proto: 'tcp' }
            : { kind: 'http', ...base, status: [200, 404, 500][i % 3] }
        })
        const expected: string[] = []
        const late = new Map<string, number>()
        for (const rule of rules) {
          const sequencer = createSequencer(rule)
          for (const e of events)
            if (sequencer.kinds.includes(e.kind))
              for (const firing of sequencer.push(e)) expected.push(`${rule.id}@${firing.event.ts}`)
          for (const firing of sequencer.flush()) expected.push(`${rule.id}@${firing.event.ts}`)
          late.set(rule.id, sequencer.takeOverflow().late)
        }
        const plan = { v: 1 as const, intel: [], content: [] }
        const engine = createEngine({ v: 1, version: 't', hash: '', rules, plan })
        const ctx = { tenant: 't', sensor: 's' }
        const first = engine.evaluate(events, ctx)
        const last = engine.flush(ctx)
        const got = [...first.alerts, ...last.alerts].map((a) => `${a.rule}@${a.ts}`)
        expect(got.sort()).toEqual(expected.sort())
        const lateCounted = new Map<string, number>()
        for (const error of [...first.errors, ...last.errors])
          if (error.message.startsWith('late'))
            lateCounted.set(error.rule, (lateCounted.get(error.rule) ?? 0) + error.count)
        for (const rule of rules) expect(lateCounted.get(rule.id) ?? 0).toBe(late.get(rule.id))
        expect([...late.values()].some((n) => n > 0)).toBe(true)
      }),
      { numRuns: 15 },
    )
  })
})
