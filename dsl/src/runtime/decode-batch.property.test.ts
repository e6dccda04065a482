import { readdirSync, readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import { decodeBatch } from './decode-batch.ts'
import { WireError } from './wire-error.ts'

// CPU-bound (properties, captures, whole rule folders): room for a busy 2-core CI machine.
vi.setConfig({ testTimeout: 60_000 })

function onlyWireErrors(input: string | Uint8Array): boolean {
  try {
    decodeBatch(input)
    return true
  } catch (error) {
    return error instanceof WireError
  }
}

// Shapes near a real batch reach deeper into the decoder than random text does.
const column = fc.array(
  fc.oneof(
    fc.integer(),
    fc.double(),
    fc.string(),
    fc.constant(null),
    fc.boolean(),
    fc.constantFrom(6, 17, 132, '10.0.0.1', 'fd00::1', 53),
  ),
  {
    maxLength: 4,
  },
)
const nearBatch = fc.record({
  v: fc.oneof(fc.constant(1), fc.constant(2), fc.jsonValue()),
  n: fc.oneof(fc.nat(6), fc.jsonValue()),
  groups: fc.array(
    fc.record({
      kind: fc.oneof(fc.constantFrom('dns', 'intel', ''), fc.jsonValue()),
      n: fc.oneof(fc.nat(4), fc.jsonValue()),
      cols: fc.dictionary(
        fc.oneof(
          fc.constantFrom(
            'ts',
            'flow',
            'src.ip',
            'src.port',
            'dst.ip',
            'dst.port',
            'src',
            'a.b.c',
            '__proto__',
            'x.__proto__',
            'kind',
          ),
          fc.string(),
        ),
        fc.oneof(column, fc.jsonValue()),
      ),
    }),
    { maxLength: 3 },
  ),
})

describe('decodeBatch on arbitrary input', () => {
  it('throws nothing but WireError on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), onlyWireErrors), { numRuns: 2000 })
  })

  it('throws nothing but WireError on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array(), onlyWireErrors), { numRuns: 2000 })
  })

  it('throws nothing but WireError on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => onlyWireErrors(JSON.stringify(value) ?? '')),
      {
        numRuns: 2000,
      },
    )
  })

  it('throws nothing but WireError on near-batches, and what it returns is sorted events', () => {
    fc.assert(
      fc.property(nearBatch, (batch) => {
        const text = JSON.stringify(batch)
        let events: ReturnType<typeof decodeBatch>
        try {
          events = decodeBatch(text)
        } catch (error) {
          return error instanceof WireError
        }
        for (let i = 1; i < events.length; i++) {
          expect(events[i - 1]?.ts).toBeLessThanOrEqual(events[i]?.ts ?? 0)
        }
        return events.every(
          (event) => typeof event.kind === 'string' && Number.isSafeInteger(event.ts),
        )
      }),
      { numRuns: 3000 },
    )
  })
})

// The Rust encoder's golden batches (wire v2), mutated: flipped, inserted and deleted bytes,
// truncation, and JSON-level edits of single entries (a flow number where no port is, a port
// out of range, a column cut short).
const folder = new URL('../../schema/golden/', import.meta.url)
const goldenBatches = readdirSync(folder)
  .filter((name) => name.endsWith('.wire.json'))
  .map((name) => ({
    bytes: new Uint8Array(readFileSync(new URL(name, folder))),
    events: readFileSync(new URL(name.replace('.wire.json', '.events.ndjson'), folder), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as unknown),
  }))

const byteEdit = fc.oneof(
  fc.record({
    op: fc.constant('flip' as const),
    at: fc.nat(),
    bits: fc.integer({ min: 1, max: 255 }),
  }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
)
type ByteEdit = typeof byteEdit extends fc.Arbitrary<infer T> ? T : never

function mutateBytes(bytes: Uint8Array, edits: ByteEdit[]): Uint8Array {
  let out = Array.from(bytes)
  for (const edit of edits) {
    if (out.length === 0) break
    const at = edit.at % out.length
    if (edit.op === 'flip') out[at] = (out[at] as number) ^ edit.bits
    else if (edit.op === 'insert') out.splice(at, 0, edit.byte)
    else if (edit.op === 'delete') out.splice(at, 1)
    else out = out.slice(0, at)
  }
  return new Uint8Array(out)
}

const jsonEdit = fc.record({
  group: fc.nat(),
  column: fc.constantFrom('flow', 'src.port', 'dst.port', 'src.ip', 'dst.ip', 'ts', 'n'),
  entry: fc.nat(),
  value: fc.oneof(
    fc.constantFrom(6, 17, 132, 1, -1, 65536, null, '::ffff:1.2.3.4', '1.2.3', 1e300),
    fc.jsonValue(),
  ),
  cut: fc.boolean(),
})

describe('decodeBatch on mutated golden batches', () => {
  it('has batches to mutate', () => expect(goldenBatches.length).toBeGreaterThan(5))

  it('throws nothing but WireError on mutated bytes', () => {
    fc.assert(
      fc.property(
        fc.nat(goldenBatches.length - 1),
        fc.array(byteEdit, { minLength: 1, maxLength: 4 }),
        (index, edits) =>
          onlyWireErrors(mutateBytes((goldenBatches[index] as { bytes: Uint8Array }).bytes, edits)),
      ),
      { numRuns: 3000 },
    )
  })

  it('throws nothing but WireError on batches with edited entries', () => {
    fc.assert(
      fc.property(fc.nat(goldenBatches.length - 1), jsonEdit, (index, edit) => {
        const batch = JSON.parse(
          new TextDecoder().decode((goldenBatches[index] as { bytes: Uint8Array }).bytes),
        ) as { n: unknown; groups: { cols: Record<string, unknown[]> }[] }
        const group = batch.groups[edit.group % batch.groups.length]
        if (edit.column === 'n') batch.n = edit.value
        else if (group) {
          const values = group.cols[edit.column]
          if (values && values.length > 0) {
            if (edit.cut) values.pop()
            else values[edit.entry % values.length] = edit.value
          }
        }
        return onlyWireErrors(JSON.stringify(batch))
      }),
      { numRuns: 3000 },
    )
  })

  it('a bad batch among good ones costs only itself', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            index: fc.nat(goldenBatches.length - 1),
            edits: fc.option(fc.array(byteEdit, { minLength: 1, maxLength: 3 })),
          }),
          { minLength: 1, maxLength: 8 },
        ),
        (stream) => {
          for (const { index, edits } of stream) {
            const golden = goldenBatches[index] as (typeof goldenBatches)[number]
            const bytes = edits === null ? golden.bytes : mutateBytes(golden.bytes, edits)
            let decoded: unknown[] | undefined
            try {
              decoded = decodeBatch(bytes)
            } catch (error) {
              expect(error).toBeInstanceOf(WireError)
              expect(edits).not.toBeNull()
            }
            // A good batch decodes to its events whatever came before it.
            if (edits === null) expect(decoded).toEqual(golden.events)
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
