import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { EVENT_KINDS, fieldSpec } from './event-schema.ts'

// The README table is the contract; the TS schema must name exactly its kinds and fields.
const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8')
const table = new Map<string, string[]>()
for (const line of readme.split('\n')) {
  const row = /^\| `([a-z]+)`\s*\| (.*?)\s*\|$/.exec(line)
  // Field names are the backticked words outside parentheses (inside them are example values).
  // Prose after the list (a sentence after ". ") names other things, e.g. "`src` is the originator".
  const names = row?.[2]?.replace(/\([^)]*\)/g, '').split(/\.\s/)[0]
  if (row?.[1] && names)
    table.set(
      row[1],
      [...names.matchAll(/`([a-z][a-z0-9_]*)`/g)].map((m) => m[1] ?? ''),
    )
}

describe('event schema', () => {
  it('has the kinds of the README table', () => {
    expect(Object.keys(EVENT_KINDS).sort()).toEqual([...table.keys()].sort())
  })

  for (const [kind, fields] of table) {
    it(`${kind} has the README fields in README order`, () => {
      expect(Object.keys(EVENT_KINDS[kind]?.fields ?? {})).toEqual(fields)
    })
  }

  it('resolves common and kind fields, and nothing else', () => {
    expect(fieldSpec('dns', 'src.ip')?.type).toBe('ip')
    expect(fieldSpec('dns', 'query')?.ioc).toBe('domain')
    expect(fieldSpec('intel', 'query')).toBeUndefined()
    expect(fieldSpec('nope', 'ts')?.type).toBe('number')
  })
})
