// Through the built addon: resuming a capture (startOffset, resumeOffset) and swapping the match
// plan between batches (setPlan). Shared data: nDPI test captures (LGPL-3.0).
import { decodeBatch } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { type FileSource, native } from './native.ts'

const IODINE = new URL('../../../shared/data/C2/ndpi__dns-tunnel-iodine.pcap', import.meta.url)
  .pathname

type Ev = { kind: string; hits?: unknown[] }
// Browsing: many short flows, so the resume point moves on while flows are open.
const CHROME = new URL('../../../shared/data/BENIGN/ndpi__chrome.pcap', import.meta.url).pathname
const open = (options = {}, path = IODINE) => new (native().FileSource)(path, options)

function take(source: FileSource, max: number): { lines: string[]; events: Ev[] } {
  const events: Ev[] = []
  for (let b = source.nextBatch(max); b; b = source.nextBatch(max)) {
    events.push(...(decodeBatch(b) as Ev[]))
  }
  return { lines: events.map((e) => JSON.stringify(e)), events }
}

describe('native FileSource', () => {
  it('starts at a saved resumeOffset and loses no event of a straight read', () => {
    const whole = take(open({}, CHROME), 1000).lines
    const first = open({}, CHROME)
    const before: string[] = []
    // Read until the resume point has moved past the first packet.
    while ((first.stats().resumeOffset ?? 0) <= 24) {
      for (const e of decodeBatch(first.nextBatch(1) as Buffer)) before.push(JSON.stringify(e))
    }
    const { offset, resumeOffset } = first.stats()
    // Flows still open lie before the read offset: resuming there would lose their events.
    expect(resumeOffset).toBeLessThan(offset)
    const again = open({ startOffset: resumeOffset }, CHROME)
    // The agent checks this to know that the addon honours startOffset.
    expect(again.stats().offset).toBe(resumeOffset)
    const after = take(again, 1000).lines
    const lost = whole.filter((l) => !before.includes(l) && !after.includes(l))
    expect(lost).toEqual([])
    // Resuming skipped what is before the offset rather than reading it all again.
    expect(after.length).toBeLessThan(whole.length)
  })

  it('refuses an offset that is not a record boundary, naming it', () => {
    const src = open()
    src.nextBatch(3)
    const at = src.stats().offset
    expect(() => open({ startOffset: at + 1 })).toThrow(
      new RegExp(`startOffset: ${at + 1} is not where a record starts`),
    )
    expect(() => open({ startOffset: -4 })).toThrow(/is not a byte offset/)
  })

  it('swaps the match plan between batches without losing events', () => {
    const whole = take(open(), 1000).events
    const src = open()
    const head = decodeBatch(src.nextBatch(20) as Buffer) as Ev[]
    expect(() => src.setPlan('{"v":9}')).toThrow(/version 9/)
    src.setPlan(
      JSON.stringify({
        v: 1,
        intel: [{ list: 'test', ioc: 'domain', entries: ['pirate.sea'] }],
        content: [],
      }),
    )
    const tail = take(src, 50).events
    const dns = (v: Ev[]) => v.filter((e) => e.kind === 'dns').length
    expect(dns(head) + dns(tail)).toBe(dns(whole))
    expect(head.some((e) => (e.hits ?? []).length > 0)).toBe(false)
    expect(tail.filter((e) => (e.hits ?? []).length > 0).length).toBeGreaterThan(100)
  })
})
