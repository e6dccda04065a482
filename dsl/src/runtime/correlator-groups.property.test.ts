// The group limit counts live groups only: whatever order events touch groups in (runs of one
// group, as real flows come, or interleaved), a new group is refused exactly when `limit` other
// groups are live. This holds only if the sweep finds every expired group, so it checks the
// order the correlator keeps its groups in.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createCorrelator } from './correlator.ts'
import { correlationIR } from './rule-ir.fixture.ts'

const WINDOW = 5000
const LIMIT = 3

const ir = correlationIR({
  id: 'SB-T-0002',
  window: { type: 'sliding', ms: WINDOW },
  limits: { groups: LIMIT, distinct: 100, events: 100 },
})

describe('correlation group limit', () => {
  it('refuses a new group exactly when the limit of live groups is reached', () => {
    const runs = fc.array(
      fc.record({
        gap: fc.integer({ min: 0, max: 3000 }),
        host: fc.integer({ min: 0, max: 6 }),
        repeat: fc.integer({ min: 1, max: 5 }),
      }),
      { maxLength: 300 },
    )
    fc.assert(
      fc.property(runs, (input) => {
        const correlator = createCorrelator(ir)
        const last = new Map<string, number>() // the model: last admitted event per host
        let ts = 0
        for (const { gap, host, repeat } of input) {
          ts += gap
          for (let i = 0; i < repeat; i++) {
            ts += i
            const ip = `10.0.0.${host}`
            const live = (at: number | undefined) => at !== undefined && at > ts - WINDOW
            let others = 0
            for (const [other, at] of last) if (other !== ip && live(at)) others++
            const admitted = live(last.get(ip)) || others < LIMIT
            correlator.push({ kind: 'conn', ts, src: { ip }, dst: { ip: '10.0.0.99', port: 1 } })
            expect(correlator.takeOverflow().groups).toBe(admitted ? 0 : 1)
            if (admitted) last.set(ip, ts)
          }
        }
      }),
      { numRuns: 300 },
    )
  })
})
