// The Rust encoder writes golden pairs into dsl/schema/golden/: a wire batch and the events it
// must decode to. Pairs are grouped by the file name before its first dot (e.g.
// `dns-basic.batch.json` + `dns-basic.events.ndjson`); a batch without events whose name says
// `invalid` or `error` must be refused with a WireError. golden/v1/ keeps the last vectors of
// wire v1, which the decoder still reads (sensors not yet updated).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { decodeBatch } from './decode-batch.ts'
import { WireError } from './wire-error.ts'

const golden = new URL('../../schema/golden/', import.meta.url)

type Pair = { batch?: string; events?: string }

function readPairs(folder: URL): Map<string, Pair> {
  const names = existsSync(folder)
    ? readdirSync(folder, { withFileTypes: true })
        .filter((e) => e.isFile() && !e.name.startsWith('.') && !e.name.endsWith('.md'))
        .map((e) => e.name)
    : []
  const pairs = new Map<string, Pair>()
  for (const name of names) {
    const stem = name.split('.')[0] ?? name
    const pair = pairs.get(stem) ?? {}
    const text = readFileSync(new URL(name, folder), 'utf8')
    if (isBatch(text)) pair.batch = name
    else pair.events = name
    pairs.set(stem, pair)
  }
  return pairs
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

for (const [label, folder] of [
  ['v2 (what the encoder writes now)', golden],
  ['v1 (kept for sensors not yet updated)', new URL('v1/', golden)],
] as const) {
  const pairs = readPairs(folder)
  describe(`decodeBatch against the golden vectors of the Rust encoder, wire ${label}`, () => {
    it('has vectors', () => expect(pairs.size).toBeGreaterThan(5))
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
  })
}
