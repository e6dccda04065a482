import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sortByTime } from './sort-by-time.ts'
import type { SocEvent } from './types.ts'

describe('sortByTime', () => {
  it('is the stable sort by ts, whatever the runs', () => {
    // Few distinct times, so ties are common; sorted runs of any length, as groups come.
    const run = fc
      .array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 })
      .map((ts) => ts.sort((a, b) => a - b))
    const unsorted = fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 60 })
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(run, { maxLength: 12 }).map((runs) => runs.flat()),
          unsorted,
        ),
        (times) => {
          const events: SocEvent[] = times.map((ts, position) => ({ kind: 'dns', ts, position }))
          const expected = events.slice().sort((a, b) => a.ts - b.ts)
          expect(sortByTime(events.slice(), times.slice())).toEqual(expected)
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('gives back the same array when it is in order already', () => {
    const events: SocEvent[] = [1, 1, 2].map((ts) => ({ kind: 'conn', ts }))
    expect(sortByTime(events, [1, 1, 2])).toBe(events)
  })
})
