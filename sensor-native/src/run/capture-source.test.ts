// Through the real native addon, on the repository's demo capture (6 DNS transactions).
import { decodeBatch } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { SourceError } from './batch-source.ts'
import { openCapture } from './capture-source.ts'

const DEMO = new URL('../../fixtures/demo-dns-queries.pcap', import.meta.url).pathname

function readAll(source: ReturnType<typeof openCapture>, max: number): string[] {
  const queries: string[] = []
  for (let b = source.nextBatch(max); b; b = source.nextBatch(max)) {
    for (const e of decodeBatch(b)) queries.push(String(e.query))
  }
  return queries
}

describe('capture source', () => {
  it('hands out the capture as wire batches', () => {
    const source = openCapture(DEMO, {})
    expect(readAll(source, 2)).toHaveLength(6)
    expect(source.stats().offset).toBe(source.stats().size)
  })

  it('resumes at a saved offset, or refuses rather than read the capture twice', () => {
    const first = openCapture(DEMO, {})
    const head = decodeBatch(first.nextBatch(2) as Buffer).map((e) => String(e.query))
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
