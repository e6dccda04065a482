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
  fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null), fc.boolean()),
  {
    maxLength: 4,
  },
)
const nearBatch = fc.record({
  v: fc.oneof(fc.constant(1), fc.jsonValue()),
  n: fc.oneof(fc.nat(6), fc.jsonValue()),
  groups: fc.array(
    fc.record({
      kind: fc.oneof(fc.constantFrom('dns', 'intel', ''), fc.jsonValue()),
      n: fc.oneof(fc.nat(4), fc.jsonValue()),
      cols: fc.dictionary(
        fc.oneof(
          fc.constantFrom('ts', 'src.ip', 'src', 'a.b.c', '__proto__', 'x.__proto__', 'kind'),
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
