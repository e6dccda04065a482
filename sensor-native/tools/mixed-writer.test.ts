import { mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { START_US, writeMixed } from './mixed-writer.ts'
import { readCapture } from './pcap-read.ts'
import { pcapWriter } from './pcap-write.ts'
import { udpCapture } from './test-captures.ts'
import { tileSource } from './tile-source.ts'

const source = (name: string, times: number[]) => {
  const s = tileSource(name, udpCapture(times))
  if (s instanceof Error) throw s
  return s
}

it('plays several tiles at once, each in its own time, merged in time order', () => {
  // one capture of 100 packets 10 ms apart: tiles of it overlap in time
  const s = source(
    'slow',
    Array.from({ length: 100 }, (_, i) => 1_600_000_000_000_000 + i * 10_000),
  )
  const path = join(mkdtempSync(join(tmpdir(), 'mixed-')), 'm.pcap')
  const w = pcapWriter(openSync(path, 'w'))
  const result = writeMixed(w, {
    sources: [s],
    seed: 3,
    sizeBytes: 20 * s.bytes,
    concurrentTiles: 4,
  })
  w.close()
  const packets = readCapture(readFileSync(path))
  if (packets instanceof Error) throw packets
  expect(packets.length).toBe(result.packets)
  expect(result.tiles).toBeGreaterThanOrEqual(20)
  expect(packets.every((p, i) => i === 0 || p.tsUs >= (packets[i - 1]?.tsUs ?? 0))).toBe(true)
  expect(packets[0]?.tsUs).toBeGreaterThanOrEqual(START_US)
  // overlapping tiles: the first 100 packets come from more than one tile (several clients)
  const clients = new Set(packets.slice(0, 100).map((p) => [...p.data.subarray(26, 30)].join('.')))
  expect(clients.size).toBeGreaterThan(1)
  // and every client keeps its 10 ms rhythm
  const byClient = new Map<string, number[]>()
  for (const p of packets) {
    const c = [...p.data.subarray(26, 30)].join('.')
    byClient.set(c, [...(byClient.get(c) ?? []), p.tsUs])
  }
  for (const times of byClient.values()) {
    for (let i = 1; i < Math.min(times.length, 100); i++)
      expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBe(10_000)
  }
})
