import { describe, expect, it } from 'vitest'
import { lineOfKey, parseJsonc } from './jsonc.ts'

describe('parseJsonc', () => {
  it('reads JSON with line and block comments, leaving comment marks inside strings alone', () => {
    const r = parseJsonc('{\n  // the edge\n  "edge": "http://x//y", /* inline */ "n": 2\n}')
    expect(r).toMatchObject({ ok: true, value: { edge: 'http://x//y', n: 2 } })
  })

  it('names the line of a syntax error', () => {
    const r = parseJsonc('{\n  "a": 1,\n  /* c */\n  "b": ,\n}')
    expect(r).toMatchObject({ ok: false, line: 4 })
  })

  it('finds the line of a key', () => {
    const r = parseJsonc('{\n  "edge": "e",\n\n  "batchEvents": 5\n}')
    expect(r.ok && lineOfKey(r.text, 'batchEvents')).toBe(4)
  })
})
