import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { FUNCTION_IMPLS, FUNCTION_SIGNATURES } from './functions.ts'

const call = (name: string, ...args: unknown[]) => FUNCTION_IMPLS[name]?.(...args)

describe('built-in functions', () => {
  it('have a signature for every implementation', () => {
    expect(Object.keys(FUNCTION_IMPLS).sort()).toEqual(Object.keys(FUNCTION_SIGNATURES).sort())
  })

  it('measure entropy in bits per character', () => {
    expect(call('entropy', 'aaaa')).toBe(0)
    expect(call('entropy', 'abab')).toBe(1)
    expect(call('entropy', 'abcdefgh')).toBe(3)
    expect(call('entropy', '')).toBe(0)
    expect(call('entropy', undefined)).toBeUndefined()
  })

  it('count list elements, cut domain labels, and propagate absence', () => {
    expect(call('size', ['a', 'b'])).toBe(2)
    expect(call('size', 'ab')).toBeUndefined()
    expect(call('last_labels', 'a.b.example.com', 2)).toBe('example.com')
    expect(call('last_labels', 'localhost', 2)).toBe('localhost')
    expect(call('lower', 5)).toBeUndefined()
    expect(call('ends_with', 'a.onion.to', '.to')).toBe(true)
    expect(call('contains', undefined, 'x')).toBeUndefined()
  })
})

describe('fast paths keep the meaning', () => {
  it('last_labels equals split, slice and join for any name', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'bc', '', 'xn--d'), { maxLength: 6 }),
        fc.integer({ min: 1, max: 8 }),
        (labels, n) => {
          const name = labels.join('.')
          expect(FUNCTION_IMPLS.last_labels?.(name, n)).toBe(name.split('.').slice(-n).join('.'))
        },
      ),
    )
  })

  it('entropy equals the plain definition over code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const chars = [...text]
        const counts = new Map<string, number>()
        for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1)
        let bits = 0
        for (const count of counts.values())
          bits -= (count / chars.length) * Math.log2(count / chars.length)
        expect(FUNCTION_IMPLS.entropy?.(text)).toBeCloseTo(bits, 9)
      }),
    )
  })
})
