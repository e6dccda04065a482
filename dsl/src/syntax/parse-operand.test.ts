import { describe, expect, it } from 'vitest'
import { parseOperand } from './parse-operand.ts'

describe('parseOperand', () => {
  it('reads fields, calls and literals', () => {
    expect(parseOperand('src.ip')).toMatchObject({ type: 'field', path: 'src.ip' })
    expect(parseOperand(' last_labels(query, 2) ')).toMatchObject({
      type: 'call',
      name: 'last_labels',
      args: [{ path: 'query' }, { value: 2 }],
    })
    expect(parseOperand('count')).toMatchObject({ type: 'field', path: 'count' })
  })

  it('refuses what is not exactly one operand', () => {
    for (const text of ['a b', 'not x', 'a ==', '', '@', 'f('])
      expect(parseOperand(text), text).toBeUndefined()
  })
})
