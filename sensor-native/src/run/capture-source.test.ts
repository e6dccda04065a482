// Through the real native addon, on the repository's demo capture.
import { decodeBatch } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { pointOf, SourceError } from './batch-source.ts'
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

  it('resumes exactly after what it handed out: nothing again, nothing lost', () => {
    const whole = readAll(openCapture(DEMO, {}), 10_000)
    for (let cut = 1; cut < whole.length; cut++) {
      const first = openCapture(DEMO, {})
      const head: string[] = []
      while (head.length < cut) {
        const b = first.nextBatch(1)
        if (!b) break
        head.push(...decodeBatch(b).map(name))
      }
      const rest = readAll(openCapture(DEMO, {}, pointOf(first)), 3)
      expect([...head, ...rest].sort(), `stopped after ${cut}`).toEqual([...whole].sort())
    }
  })

  it('refuses a saved offset past the end of the file', () => {
    const size = openCapture(DEMO, {}).stats().size
    expect(() => openCapture(DEMO, {}, { offset: size + 10 })).toThrow(SourceError)
  })

  it('needs no seek for a capture an earlier run read to its end', () => {
    const read = openCapture(DEMO, {})
    readAll(read, 100)
    const end = pointOf(read)
    expect(end.capture?.readFrom).toBe(read.stats().size)
    const done = openCapture(DEMO, {}, end)
    expect(done.nextBatch(10)).toBeNull()
    expect(done.stats().offset).toBe(read.stats().size)
  })
})
