import { mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { readCapture } from './pcap-read.ts'
import { pcapWriter } from './pcap-write.ts'

it('writes records that read back, across buffer flushes and oversized frames', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'pcap-')), 'out.pcap')
  const w = pcapWriter(openSync(path, 'w'), 64 * 1024)
  const frames = [100, 70_000, 60, 1514].map((n, i) =>
    Uint8Array.from({ length: n }, (_, j) => (i + j) & 0xff),
  )
  frames.forEach((frame, i) => {
    const at = w.record(1_700_000_000_000_000 + i * 1_500_001, frame.length, frame.length + 4)
    w.buffer.set(frame, at)
  })
  const size = w.size()
  w.close()
  const file = readFileSync(path)
  expect(file.length).toBe(size)
  const packets = readCapture(file)
  if (packets instanceof Error) throw packets
  expect(packets.map((p) => [p.linktype, p.tsUs, p.origLen])).toEqual(
    frames.map((f, i) => [1, 1_700_000_000_000_000 + i * 1_500_001, f.length + 4]),
  )
  packets.forEach((p, i) => {
    expect(Buffer.from(p.data).equals(Buffer.from(frames[i] as Uint8Array))).toBe(true)
  })
})

it('refuses a frame over the snap length', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'pcap-')), 'out.pcap')
  const w = pcapWriter(openSync(path, 'w'))
  expect(() => w.record(0, 262_145, 262_145)).toThrow(/snap length/)
  w.close()
})
