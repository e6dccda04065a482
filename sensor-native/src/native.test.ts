// Through the built addon: resuming a capture (startOffset/resumeOffset, and exactly once with
// resumePoint) and swapping the match plan between batches (setPlan). Shared data: nDPI and ja4
// test captures.
import { decodeBatch } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { type FileSource, native } from './native.ts'

const IODINE = new URL('../../../shared/data/C2/ndpi__dns-tunnel-iodine.pcap', import.meta.url)
  .pathname

type Ev = { kind: string; hits?: unknown[] }
// Many short HTTP flows, so the resume point moves on while flows are open.
const HTTP = new URL('../../../shared/data/PARSERS/ja4/pcap/http1.pcapng', import.meta.url).pathname
const open = (options = {}, path = IODINE) => new (native().FileSource)(path, options)

function take(source: FileSource, max: number): { lines: string[]; events: Ev[] } {
  const events: Ev[] = []
  for (let b = source.nextBatch(max); b; b = source.nextBatch(max)) {
    events.push(...(decodeBatch(b) as Ev[]))
  }
  return { lines: events.map((e) => JSON.stringify(e)), events }
}

describe('native FileSource', () => {
  // tshark: 44 SMB2 messages with the transform header in this capture, each counted and skipped.
  it('reports encrypted SMB messages skipped and application state dropped', () => {
    const smb3 = new URL('../../../shared/data/BENIGN/zeek-traces__smb3.pcap', import.meta.url)
      .pathname
    const source = open({}, smb3)
    expect(source.stats()).toMatchObject({ appDropped: 0, encrypted: 0 })
    take(source, 4096)
    expect(source.stats()).toMatchObject({ appDropped: 0, encrypted: 44 })
  })

  it('starts at a saved resumeOffset and loses no event of a straight read', () => {
    const whole = take(open({}, HTTP), 1000).lines
    const first = open({}, HTTP)
    const before: string[] = []
    // Read until the resume point has moved past the first packet while flows are open.
    for (;;) {
      for (const e of decodeBatch(first.nextBatch(1) as Buffer)) before.push(JSON.stringify(e))
      const { offset, resumeOffset = 0 } = first.stats()
      if (resumeOffset > 24 && resumeOffset < offset) break
    }
    const { resumeOffset } = first.stats()
    const again = open({ startOffset: resumeOffset }, HTTP)
    // The agent checks this to know that the addon honours startOffset.
    expect(again.stats().offset).toBe(resumeOffset)
    const after = take(again, 1000).lines
    const lost = whole.filter((l) => !before.includes(l) && !after.includes(l))
    expect(lost).toEqual([])
    // Resuming skipped what is before the offset rather than reading it all again.
    expect(after.length).toBeLessThan(whole.length)
  })

  it('restarts at its resumePoint handing out exactly the events not handed out yet', () => {
    for (const path of [IODINE, HTTP]) {
      const whole = take(open({}, path), 1000).lines.sort()
      const first = open({}, path)
      const before: string[] = []
      for (let i = 0; i < 7; i++) {
        const b = first.nextBatch(3)
        if (b) for (const e of decodeBatch(b)) before.push(JSON.stringify(e))
      }
      const resume = first.resumePoint()
      expect(resume.readFrom).toBeLessThan(resume.emitFrom)
      const after = take(open({ resume }, path), 5).lines
      expect([...before, ...after].sort()).toEqual(whole)
    }
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
