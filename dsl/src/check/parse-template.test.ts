import { describe, expect, it } from 'vitest'
import { parseTemplate } from './parse-template.ts'

describe('parseTemplate', () => {
  it('splits text and field holes', () => {
    expect(parseTemplate('Lookup of {query} by {src.ip}.')).toEqual({
      template: ['Lookup of ', { ref: 'query' }, ' by ', { ref: 'src.ip' }, '.'],
      holes: [
        { path: 'query', index: 10 },
        { path: 'src.ip', index: 21 },
      ],
    })
  })

  it('reads doubled braces as braces', () => {
    expect(parseTemplate('{{x}}').template).toEqual(['{x}'])
  })

  it('reports a hole that is not a field', () => {
    expect(parseTemplate('a {not a field} b').error).toEqual({
      index: 2,
      message: expect.stringMatching(/must hold a field/),
    })
    expect(parseTemplate('a } b').error?.index).toBe(2)
    expect(parseTemplate('a {b').error?.index).toBe(2)
  })
})
