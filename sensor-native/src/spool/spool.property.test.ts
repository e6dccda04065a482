// Random runs of append / sync / send+ack / crash / torn write / bit flip / clean restart against
// a model edge that stores batches by (boot, seq). Checked after every step and at the end:
// - one (boot, seq) always names the same payload (so the edge's dedup is sound);
// - an entry is never handed out again once acknowledged, across restarts;
// - every synced payload reaches the edge exactly once, except those whose bytes were flipped,
//   which arrive as tombstones.
import {
  closeSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CLASSES } from './batch-class.ts'
import { HEADER_BYTES } from './record.ts'
import { scanSegment } from './segment-scan.ts'
import { Spool } from './spool.ts'

type Op =
  | { t: 'append'; classes: number[] }
  | { t: 'sync' }
  | { t: 'send'; count: number; ackShare: number }
  | { t: 'crash' }
  | { t: 'tear'; cut: number }
  | { t: 'flip'; pick: number }
  | { t: 'restart' }

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('append' as const),
      classes: fc.array(fc.nat(2), { minLength: 1, maxLength: 3 }),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ t: 'sync' as const }) },
  {
    weight: 4,
    arbitrary: fc.record({
      t: fc.constant('send' as const),
      count: fc.nat(6),
      ackShare: fc.double({ min: 0, max: 1, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'crash' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('tear' as const),
      cut: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('flip' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ t: 'restart' as const }) },
)

function run(ops: Op[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'socbox-spool-prop-'))
  const options = { maxBytes: 1 << 30, segmentBytes: 300, syncRecords: Number.MAX_SAFE_INTEGER }
  let boots = 0
  let spool = Spool.open(dir, `b${boots++}`, options)
  let counter = 0
  let pending: string[] = []
  const synced = new Set<string>()
  const flipped = new Set<string>()
  const edge = new Map<string, string>() // "boot/seq" → payload or "<gap>"
  const acked = new Set<string>()
  let sent = new Map<number, string>() // lsn → key, for this spool instance
  let sentLsn = spool.ack

  const reopen = () => {
    spool = Spool.open(dir, `b${boots++}`, options)
    sent = new Map()
    sentLsn = spool.ack
  }
  const commitPending = () => {
    for (const p of pending) synced.add(p)
    pending = []
  }
  const send = (count: number) => {
    for (let i = 0; i < count; i++) {
      const e = spool.entryAfter(sentLsn)
      if (!e) return
      const key = `${e.boot}/${e.seq}`
      expect(acked.has(key), `${key} handed out again after its ack`).toBe(false)
      const value = e.payload?.toString() ?? '<gap>'
      const before = edge.get(key)
      if (before !== undefined && before !== '<gap>' && value !== '<gap>')
        expect(value).toBe(before)
      if (before === undefined || before === '<gap>') edge.set(key, value)
      sent.set(e.lsn, key)
      sentLsn = e.lsn
    }
  }

  for (const o of ops) {
    switch (o.t) {
      case 'append': {
        const items = o.classes.map((c) => {
          const text = `p${counter++}`.padEnd(20 + (counter % 40), '.')
          pending.push(text)
          return { cls: CLASSES[c] ?? 'conn', payload: Buffer.from(text), events: 1 }
        })
        spool.append(items)
        break
      }
      case 'sync':
        spool.sync()
        commitPending()
        break
      case 'send': {
        send(o.count)
        const through = spool.ack + Math.floor((sentLsn - spool.ack) * o.ackShare)
        spool.acknowledge(through)
        for (const [lsn, key] of sent) if (lsn <= through) acked.add(key)
        break
      }
      case 'crash':
        pending = []
        reopen()
        break
      case 'tear': {
        // A crash in the middle of writing the newest record, which had not been synced.
        spool.append([
          { cls: 'conn', payload: Buffer.from(`torn${counter++}`.padEnd(40, '#')), events: 1 },
        ])
        const newest = readdirSync(dir)
          .filter((n) => n.endsWith('.seg'))
          .map((n) => join(dir, n))
          .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs || b.localeCompare(a))
        const path = newest.find((p) => readFileSync(p).toString().includes('torn'))
        if (path) {
          const size = statSync(path).size
          const fd = openSync(path, 'r+')
          ftruncateSync(fd, size - Math.max(1, Math.floor((HEADER_BYTES + 40) * o.cut)))
          closeSync(fd)
        }
        pending = []
        reopen()
        break
      }
      case 'flip': {
        // Disk damage in a synced, unacknowledged record.
        const candidates: { path: string; at: number; text: string }[] = []
        for (const name of readdirSync(dir).filter((n) => n.endsWith('.seg'))) {
          const path = join(dir, name)
          const bytes = readFileSync(path)
          for (const r of scanSegment(bytes).records) {
            if (r.lsn <= spool.ack || r.lsn > spool.committed || r.lsn <= sentLsn) continue
            const at = r.offset + HEADER_BYTES
            candidates.push({ path, at, text: bytes.subarray(at, at + r.length).toString() })
          }
        }
        const target = candidates[o.pick % Math.max(1, candidates.length)]
        // A record the edge already got before the damage is not lost: the edge keeps it.
        const alreadyAtEdge = target && [...edge.values()].includes(target.text)
        if (target && !alreadyAtEdge) {
          const bytes = readFileSync(target.path)
          bytes[target.at] = (bytes[target.at] as number) ^ 0x01
          writeFileSync(target.path, bytes)
          flipped.add(target.text)
        }
        break
      }
      case 'restart':
        spool.close()
        commitPending()
        reopen()
        break
    }
  }

  spool.close()
  commitPending()
  reopen()
  send(Number.MAX_SAFE_INTEGER)
  spool.acknowledge(sentLsn)
  spool.sync()
  expect(spool.entryAfter(spool.ack)).toBeNull()

  const delivered = [...edge.values()].filter((v) => v !== '<gap>')
  expect(new Set(delivered).size, 'a payload arrived under two identities').toBe(delivered.length)
  const expected = [...synced].filter((p) => !flipped.has(p)).sort()
  expect(delivered.filter((p) => !p.startsWith('torn')).sort()).toEqual(expected)
  const gaps = [...edge.values()].filter((v) => v === '<gap>').length
  expect(gaps).toBe([...flipped].filter((p) => synced.has(p)).length)
  spool.close()
}

describe('Spool (property)', () => {
  it('loses no synced record, delivers none twice after its ack, across crashes and damage', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => run(ops)),
      { numRuns: 150 },
    )
  }, 60_000)
})
