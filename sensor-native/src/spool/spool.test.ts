import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SpoolClass } from './batch-class.ts'
import { HEADER_BYTES } from './record.ts'
import { Spool, type SpoolEntry, type SpoolReport } from './spool.ts'

const tempDir = () => mkdtempSync(join(tmpdir(), 'socbox-spool-'))
const item = (text: string, cls: SpoolClass = 'detail', events = 1) => ({
  cls,
  payload: Buffer.from(text),
  events,
})

function drain(spool: Spool): SpoolEntry[] {
  const out: SpoolEntry[] = []
  let last = spool.ack
  for (let e = spool.entryAfter(last); e; e = spool.entryAfter(last)) {
    out.push(e)
    last = e.lsn
  }
  return out
}
const texts = (entries: SpoolEntry[]) => entries.map((e) => e.payload?.toString() ?? `<${e.gap}>`)

describe('Spool', () => {
  it('hands out records only once they are synced, with boot and seq from 0', () => {
    const spool = Spool.open(tempDir(), 'boot-a', { maxBytes: 1 << 20 })
    spool.append([item('one'), item('two', 'evidence')])
    expect(spool.entryAfter(-1)).toBeNull()
    spool.sync()
    const entries = drain(spool)
    expect(texts(entries)).toEqual(['one', 'two'])
    expect(entries.map((e) => [e.boot, e.seq])).toEqual([
      ['boot-a', 0],
      ['boot-a', 1],
    ])
  })

  it('resumes after a restart: unacked records again under their first boot, acked ones never', () => {
    const dir = tempDir()
    const first = Spool.open(dir, 'boot-a', { maxBytes: 1 << 20 })
    first.append([item('a'), item('b'), item('c')], { source: 'x.pcap', offset: 300 })
    first.sync()
    first.acknowledge(0)
    first.close()
    const second = Spool.open(dir, 'boot-b', { maxBytes: 1 << 20 })
    expect(second.committedPosition).toEqual({ source: 'x.pcap', offset: 300 })
    const resent = drain(second)
    expect(texts(resent)).toEqual(['b', 'c'])
    expect(resent.map((e) => [e.boot, e.seq])).toEqual([
      ['boot-a', 1],
      ['boot-a', 2],
    ])
    second.append([item('d')])
    second.sync()
    const fresh = second.entryAfter(2)
    expect([fresh?.boot, fresh?.seq, fresh?.payload?.toString()]).toEqual(['boot-b', 0, 'd'])
  })

  it('cuts off records appended after the last sync when it restarts (a crash before fsync)', () => {
    const dir = tempDir()
    const crashed = Spool.open(dir, 'a', { maxBytes: 1 << 20 })
    crashed.append([item('kept')], { source: 'f', offset: 10 })
    crashed.sync()
    crashed.append([item('never synced')], { source: 'f', offset: 20 })
    // no sync, no close: the process died here
    const restarted = Spool.open(dir, 'b', { maxBytes: 1 << 20 })
    expect(restarted.committedPosition?.offset).toBe(10)
    expect(texts(drain(restarted))).toEqual(['kept'])
  })

  it('deletes a segment once every record in it is acknowledged', () => {
    const dir = tempDir()
    const spool = Spool.open(dir, 'a', { maxBytes: 1 << 20, segmentBytes: 100 })
    for (const t of ['x'.repeat(60), 'y'.repeat(60), 'z'.repeat(60)]) spool.append([item(t)])
    spool.sync()
    const segments = () => readdirSync(dir).filter((n) => n.endsWith('.seg'))
    expect(segments()).toHaveLength(3)
    spool.acknowledge(1)
    spool.sync()
    expect(segments()).toHaveLength(1)
    expect(JSON.parse(readFileSync(join(dir, 'ack.json'), 'utf8')).lsn).toBe(1)
  })

  it('skips a record with a bad checksum, reports it, sends a tombstone and delivers the rest', () => {
    const dir = tempDir()
    const spool = Spool.open(dir, 'a', { maxBytes: 1 << 20 })
    spool.append([item('first'), item('second'), item('third')])
    spool.close()
    const [segment] = readdirSync(dir).filter((n) => n.endsWith('.seg'))
    const path = join(dir, segment as string)
    const bytes = readFileSync(path)
    const secondPayload = HEADER_BYTES + 'first'.length + HEADER_BYTES
    bytes[secondPayload] = (bytes[secondPayload] as number) ^ 0xff
    writeFileSync(path, bytes)
    const reports: SpoolReport[] = []
    const reopened = Spool.open(dir, 'b', { maxBytes: 1 << 20, onReport: (r) => reports.push(r) })
    expect(texts(drain(reopened))).toEqual(['first', '<damaged>', 'third'])
    expect(reports).toContainEqual(
      expect.objectContaining({ kind: 'damage', reason: 'payload checksum mismatch', lsn: 1 }),
    )
  })

  it('finds the next record after a damaged header', () => {
    const dir = tempDir()
    const spool = Spool.open(dir, 'a', { maxBytes: 1 << 20 })
    spool.append([item('first'), item('second'), item('third')])
    spool.close()
    const [segment] = readdirSync(dir).filter((n) => n.endsWith('.seg'))
    const path = join(dir, segment as string)
    const bytes = readFileSync(path)
    bytes.fill(0x55, 0, 8) // magic and version of the first record gone
    writeFileSync(path, bytes)
    const reports: SpoolReport[] = []
    const reopened = Spool.open(dir, 'b', { maxBytes: 1 << 20, onReport: (r) => reports.push(r) })
    expect(texts(drain(reopened))).toEqual(['<damaged>', 'second', 'third'])
    expect(reports.map((r) => r.kind)).toEqual(['damage', 'missing'])
  })

  it('drops the oldest conn segments first when full, counts them, and never drops evidence', () => {
    const dir = tempDir()
    const reports: SpoolReport[] = []
    const spool = Spool.open(dir, 'a', {
      maxBytes: 600,
      segmentBytes: 150,
      onReport: (r) => reports.push(r),
    })
    spool.append([item('e'.repeat(80), 'evidence', 1)])
    spool.append([item('c'.repeat(80), 'conn', 7)])
    spool.append([item('d'.repeat(80), 'detail', 3)])
    for (let i = 0; i < 3; i++) spool.append([item(`${i}`.repeat(80), 'conn', 5)])
    spool.append([item('E'.repeat(80), 'evidence', 1)])
    spool.sync()
    const dropped = reports.filter((r) => r.kind === 'dropped')
    expect(dropped.map((r) => r.kind === 'dropped' && [r.cls, r.events])).toEqual([
      ['conn', 7],
      ['conn', 5],
    ])
    expect(spool.stats()).toMatchObject({ droppedRecords: 2, droppedEvents: 12 })
    const delivered = texts(drain(spool))
    expect(delivered).toEqual([
      'e'.repeat(80),
      '<dropped>',
      'd'.repeat(80),
      '<dropped>',
      '1'.repeat(80),
      '2'.repeat(80),
      'E'.repeat(80),
    ])
    const onDisk = readdirSync(dir)
      .filter((n) => n.endsWith('.seg'))
      .reduce((sum, n) => sum + statSync(join(dir, n)).size, 0)
    expect(onDisk).toBeLessThanOrEqual(600)
  })

  it('keeps evidence over the cap and says so when nothing else is left to drop', () => {
    const reports: SpoolReport[] = []
    const spool = Spool.open(tempDir(), 'a', { maxBytes: 200, onReport: (r) => reports.push(r) })
    for (let i = 0; i < 4; i++) spool.append([item('e'.repeat(80), 'evidence')])
    spool.sync()
    expect(drain(spool).every((e) => e.payload !== null)).toBe(true)
    expect(reports.filter((r) => r.kind === 'over-cap')).toHaveLength(1)
  })

  it('reports a whole segment that is garbage and delivers the other segments', () => {
    const dir = tempDir()
    const spool = Spool.open(dir, 'a', { maxBytes: 1 << 20 })
    spool.append([item('c1', 'conn'), item('d1', 'detail'), item('e1', 'evidence')])
    spool.append([item('c2', 'conn'), item('d2', 'detail')])
    spool.close()
    const conn = readdirSync(dir).find((n) => n.startsWith('conn-')) as string
    writeFileSync(join(dir, conn), Buffer.alloc(statSync(join(dir, conn)).size, 0xa5))
    const reports: SpoolReport[] = []
    const reopened = Spool.open(dir, 'b', { maxBytes: 1 << 20, onReport: (r) => reports.push(r) })
    expect(texts(drain(reopened))).toEqual(['<damaged>', 'd1', 'e1', '<damaged>', 'd2'])
    expect(reports).toContainEqual(
      expect.objectContaining({ kind: 'damage', reason: 'no record magic' }),
    )
    expect(reports).toContainEqual(expect.objectContaining({ kind: 'missing', lsns: 2 }))
    expect(readdirSync(dir).includes(conn)).toBe(false) // nothing good left in it: removed
  })

  it('still delivers, under a stand-in boot and with a report, when boots.json is lost', () => {
    const dir = tempDir()
    const spool = Spool.open(dir, 'a', { maxBytes: 1 << 20 })
    spool.append([item('one'), item('two')])
    spool.close()
    unlinkSync(join(dir, 'boots.json'))
    const reports: SpoolReport[] = []
    const reopened = Spool.open(dir, 'b', { maxBytes: 1 << 20, onReport: (r) => reports.push(r) })
    const entries = drain(reopened)
    expect(texts(entries)).toEqual(['one', 'two'])
    expect(entries.map((e) => [e.boot, e.seq])).toEqual([
      ['b-recovered', 0],
      ['b-recovered', 1],
    ])
    expect(reports).toContainEqual(
      expect.objectContaining({ kind: 'damage', reason: expect.stringMatching(/stand-in boot/) }),
    )
  })
})
