import { describe, expect, it } from 'vitest'
import { parseTemplate } from './parse-template.ts'

describe('parseTemplate', () => {
  it('splits text and holes', () => {
    expect(parseTemplate('Lookup of {query} by {src.ip}.')).toEqual({
      parts: [
        'Lookup of ',
        { hole: 'query', index: 10 },
        ' by ',
        { hole: 'src.ip', index: 21 },
        '.',
      ],
    })
    expect(parseTemplate('{distinct(query)} names').parts[0]).toEqual({
      hole: 'distinct(query)',
      index: 0,
    })
  })

  it('reads doubled braces as braces', () => {
    expect(parseTemplate('{{x}}').parts).toEqual(['{x}'])
  })

  it('reports holes that are empty, unclosed or nested, and lone closing braces', () => {
    expect(parseTemplate('a { } b').error).toEqual({
      index: 2,
      message: expect.stringMatching(/must hold a field/),
    })
    expect(parseTemplate('a } b').error?.index).toBe(2)
    expect(parseTemplate('a {b').error?.index).toBe(2)
    expect(parseTemplate('a {b {c}}').error?.index).toBe(2)
  })
})
