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
