// The Rust encoder writes golden pairs into dsl/schema/golden/: a wire batch and the events it
// must decode to. Pairs are grouped by the file name before its first dot (e.g.
// `dns-basic.batch.json` + `dns-basic.events.ndjson`); a batch without events whose name says
// `invalid` or `error` must be refused with a WireError.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeBatch } from './decode-batch.ts'
import { WireError } from './wire-error.ts'

const folder = new URL('../../schema/golden/', import.meta.url)
const names = existsSync(folder)
  ? readdirSync(folder).filter((name) => !name.startsWith('.') && !name.endsWith('.md'))
  : []

type Pair = { batch?: string; events?: string }
const pairs = new Map<string, Pair>()
for (const name of names) {
  const stem = name.split('.')[0] ?? name
  const pair = pairs.get(stem) ?? {}
  const text = readFileSync(new URL(name, folder), 'utf8')
  if (isBatch(text)) pair.batch = name
  else pair.events = name
  pairs.set(stem, pair)
}

function isBatch(text: string): boolean {
  try {
    const value = JSON.parse(text) as { groups?: unknown }
    return typeof value === 'object' && value !== null && 'groups' in value
  } catch {
    return /"groups"\s*:/.test(text.slice(0, 200))
  }
}

function readEvents(text: string): unknown[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as unknown[]
  return trimmed === '' ? [] : trimmed.split('\n').map((line) => JSON.parse(line) as unknown)
}

describe.skipIf(pairs.size === 0)(
  'decodeBatch against the golden vectors of the Rust encoder',
  () => {
    for (const [stem, pair] of pairs) {
      it(stem, () => {
        expect(pair.batch, `${stem}: no batch file`).toBeDefined()
        const bytes = readFileSync(new URL(pair.batch ?? '', folder))
        if (pair.events === undefined) {
          expect(stem, `${stem}: a batch without events must be named invalid/error`).toMatch(
            /invalid|error/,
          )
          expect(() => decodeBatch(bytes)).toThrow(WireError)
          return
        }
        const expected = readEvents(readFileSync(new URL(pair.events, folder), 'utf8'))
        const decoded = decodeBatch(bytes)
        expect(decoded).toEqual(expected)
        // Key order is part of the contract (`socbox events` prints it), so compare it too.
        expect(decoded.map((e) => JSON.stringify(e))).toEqual(
          expected.map((e) => JSON.stringify(e)),
        )
      })
    }
  },
)
