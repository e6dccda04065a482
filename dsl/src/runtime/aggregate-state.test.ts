import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createAggregateState } from './aggregate-state.ts'

describe('distinct with its one-value fast path', () => {
  it('counts like a plain map of counts under adds, removes and its limit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom('a', 'b', 'c', 'd')), { maxLength: 40 }),
        (limit, steps) => {
          const state = createAggregateState([{ fn: 'distinct', field: 'x' }], limit)
          const counts = new Map<string, number>()
          const held: string[] = []
          let refused = 0
          for (const [add, value] of steps) {
            if (add || held.length === 0) {
              held.push(value)
              state.add([value], 0, 0, Number.NaN)
              const known = counts.get(value)
              if (known !== undefined) counts.set(value, known + 1)
              else if (counts.size >= limit) refused++
              else counts.set(value, 1)
            } else {
              const oldest = held.shift() as string
              state.remove([oldest], 0, 0, Number.NaN)
              const known = counts.get(oldest)
              if (known !== undefined) {
                if (known <= 1) counts.delete(oldest)
                else counts.set(oldest, known - 1)
              }
            }
            expect(state.values()).toEqual([counts.size])
          }
          expect(state.takeOverflow()).toBe(refused)
        },
      ),
    )
  })
})
