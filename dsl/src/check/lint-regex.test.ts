import { describe, expect, it } from 'vitest'
import { lintRegex } from './lint-regex.ts'

describe('lintRegex', () => {
  it.each([
    ['^[a-z0-9]{16}\\.onion$', ''],
    ['(ab)+c', ''],
    ['(a{1,10})+', ''],
    ['^(?:www\\.)?example\\.(com|net)$', 'i'],
    ['[(+]*', ''],
    ['\\(a+\\)+', ''],
  ])('accepts %s', (pattern, flags) => {
    expect(lintRegex(pattern, flags)).toBeUndefined()
  })

  it.each([
    ['(a+)+$', '', 0, /nested quantifier/],
    ['x(a|b*)*y', '', 1, /nested quantifier/],
    ['((ab)*c)+', '', 0, /nested quantifier/],
    ['(a*){2,}', '', 0, /nested quantifier/],
    ['(\\w+\\s?)*$', '', 0, /nested quantifier/],
    ['(a)\\1', '', 4, /backreferences/],
    ['(?<x>a)\\k<x>', '', 8, /backreferences/],
    ['abc', 'g', 4, /flag g/],
    ['abc', 'ii', 4, /repeated/],
    ['(abc', '', 0, /invalid regex/],
    ['a'.repeat(513), '', 0, /longer than 512/],
  ])('rejects %s', (pattern, flags, index, message) => {
    const problem = lintRegex(pattern, flags)
    expect(problem?.message).toMatch(message)
    expect(problem?.index).toBe(index)
    expect(problem?.hint).toBeTruthy()
  })
})
