// Through the real native addon, on the repository's demo capture.
import { decodeBatch } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { SourceError } from './batch-source.ts'
import { openCapture } from './capture-source.ts'

const DEMO = new URL('../../fixtures/demo-dns-queries.pcap', import.meta.url).pathname

/** Every event as one string that names it (kind, flow, time). */
const name = (e: { kind: string; ts: number; flow?: unknown }) => `${e.kind} ${e.flow} ${e.ts}`

function readAll(source: ReturnType<typeof openCapture>, max: number): string[] {
  const names: string[] = []
  for (let b = source.nextBatch(max); b; b = source.nextBatch(max)) {
    for (const e of decodeBatch(b)) names.push(name(e))
  }
  return names
}

describe('capture source', () => {
  it('hands out the capture as wire batches', () => {
    const source = openCapture(DEMO, {})
    const inTwos = readAll(source, 2)
    expect(inTwos.filter((n) => n.startsWith('dns '))).toHaveLength(6)
    expect(inTwos.sort()).toEqual(readAll(openCapture(DEMO, {}), 10_000).sort())
    expect(source.stats().offset).toBe(source.stats().size)
  })

  it('resumes at a saved offset, or refuses rather than read the capture twice', () => {
    const first = openCapture(DEMO, {})
    const head = decodeBatch(first.nextBatch(2) as Buffer).map(name)
    const saved = first.stats().offset
    let rest: string[]
    try {
      rest = readAll(openCapture(DEMO, {}, saved), 10)
    } catch (err) {
      expect(err).toBeInstanceOf(SourceError)
      expect((err as Error).message).toMatch(
        /cannot resume a capture \(FileSource has no startOffset\)/,
      )
      return
    }
    // The addon seeks: nothing before the offset comes again.
    for (const q of head) expect(rest).not.toContain(q)
  })

  it('needs no seek for a capture an earlier run read to its end', () => {
    const size = openCapture(DEMO, {}).stats().size
    const done = openCapture(DEMO, {}, size)
    expect(done.nextBatch(10)).toBeNull()
    expect(done.stats().offset).toBe(size)
  })
})
