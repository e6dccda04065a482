import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { Spool } from '../spool/spool.ts'
import { LocalEdge } from './local-edge.ts'
import { Sender, type SenderEvent } from './sender.ts'
import { encodeEvents } from './wire-batch.ts'

const fast = { baseMs: 5, capMs: 20, maxAttempts: 3 }
// Enough attempts in one round that a 503 never lands on a round's last attempt (where the
// Retry-After would be consumed by the round's end instead of reported as a retry).
const patient = { ...fast, maxAttempts: 1000 }
let edge: LocalEdge | undefined
let sender: Sender | undefined
afterEach(async () => {
  sender?.stop()
  await edge?.down()
})

const batch = (from: number, n: number) =>
  gzipSync(
    JSON.stringify(
      encodeEvents(
        Array.from({ length: n }, (_, i) => ({
          kind: 'dns',
          ts: 1000 + from + i,
          query: `q${from + i}`,
        })),
      ),
    ),
  )

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('Sender', () => {
  it('delivers every batch exactly once across an outage and a busy edge', async () => {
    edge = await LocalEdge.start()
    const spool = Spool.open(mkdtempSync(join(tmpdir(), 'socbox-sender-')), 'boot1', {
      maxBytes: 1 << 20,
    })
    const events: SenderEvent[] = []
    sender = new Sender({
      spool,
      target: { edge: edge.url, token: 't' },
      policy: patient,
      idleMs: 10,
      onEvent: (e) => events.push(e),
    })
    const running = sender.run()
    for (let i = 0; i < 5; i++)
      spool.append([{ cls: 'detail', payload: batch(i * 10, 10), events: 10 }])
    spool.sync()
    await until(() => spool.ack === 4, 'the first five batches')
    await edge.down()
    for (let i = 5; i < 10; i++)
      spool.append([{ cls: 'detail', payload: batch(i * 10, 10), events: 10 }])
    spool.sync()
    await until(() => events.some((e) => e.kind === 'retry'), 'a retry during the outage')
    await edge.up()
    edge.busyFor = 2
    await until(() => spool.ack === 9, 'the rest after the outage')
    sender.stop()
    await running
    const queries = edge.events().map((e) => e.query)
    expect(queries).toHaveLength(100)
    expect(new Set(queries).size).toBe(100)
    expect(events.some((e) => e.kind === 'retry' && e.delayMs === 1000)).toBe(true) // Retry-After: 1
  }, 20_000)

  it('skips ahead when the edge already holds later batches', async () => {
    edge = await LocalEdge.start()
    const spool = Spool.open(mkdtempSync(join(tmpdir(), 'socbox-sender-')), 'boot1', {
      maxBytes: 1 << 20,
    })
    for (let i = 0; i < 4; i++) spool.append([{ cls: 'detail', payload: batch(i, 1), events: 1 }])
    spool.sync()
    // Sent before a crash that came before the agent could record the edge's answer.
    edge.batches.set('boot1/2', { boot: 'boot1', seq: 2, events: [] })
    sender = new Sender({
      spool,
      target: { edge: edge.url, token: 't' },
      policy: fast,
      idleMs: 10,
      window: 1,
    })
    const running = sender.run()
    await until(() => spool.ack === 3, 'all four acknowledged')
    sender.stop()
    await running
    expect(edge.requests).toBe(3) // 0, 1 (answered ack 2), then 3
    expect(edge.repeats).toBe(0)
  })

  it('sends again after the edge ack when, all answered, the edge holds less than it was sent', async () => {
    edge = await LocalEdge.start()
    const spool = Spool.open(mkdtempSync(join(tmpdir(), 'socbox-sender-')), 'boot1', {
      maxBytes: 1 << 20,
    })
    for (let i = 0; i < 3; i++) spool.append([{ cls: 'detail', payload: batch(i, 1), events: 1 }])
    spool.sync()
    edge.lagAcks = 3 // every first answer is one short
    const events: SenderEvent[] = []
    sender = new Sender({
      spool,
      target: { edge: edge.url, token: 't' },
      policy: fast,
      idleMs: 10,
      onEvent: (e) => events.push(e),
    })
    const running = sender.run()
    await until(() => spool.ack === 2, 'all three acknowledged')
    sender.stop()
    await running
    expect(events.filter((e) => e.kind === 'rewind')).toEqual([{ kind: 'rewind', from: 2, to: 2 }])
    expect(edge.repeats).toBe(1)
    expect(edge.events()).toHaveLength(3)
  })

  it('keeps several requests in flight and gets every batch to the edge once, replies out of order', async () => {
    edge = await LocalEdge.start()
    edge.jitterMs = 15
    const spool = Spool.open(mkdtempSync(join(tmpdir(), 'socbox-sender-')), 'b', {
      maxBytes: 1 << 22,
    })
    for (let i = 0; i < 60; i++)
      spool.append([{ cls: 'detail', payload: batch(i * 5, 5), events: 5 }])
    spool.sync()
    const replies: number[] = []
    sender = new Sender({
      spool,
      target: { edge: edge.url, token: 't' },
      policy: fast,
      idleMs: 10,
      window: 6,
      onEvent: (e) => e.kind === 'delivered' && replies.push(e.seq),
    })
    const running = sender.run()
    await until(() => spool.ack === 59, 'all sixty acknowledged')
    sender.stop()
    await running
    expect(replies.some((seq, i) => i > 0 && seq < (replies[i - 1] as number))).toBe(true)
    expect(edge.repeats).toBe(0)
    const queries = edge.events().map((e) => e.query)
    expect(new Set(queries).size).toBe(300)
    expect(queries).toHaveLength(300)
  })

  it('replaces a batch the edge rejects as malformed by a tombstone and goes on', async () => {
    edge = await LocalEdge.start()
    const spool = Spool.open(mkdtempSync(join(tmpdir(), 'socbox-sender-')), 'b', {
      maxBytes: 1 << 20,
    })
    spool.append([{ cls: 'detail', payload: gzipSync('{"not":"a batch"}'), events: 1 }])
    spool.append([{ cls: 'detail', payload: batch(0, 2), events: 2 }])
    spool.sync()
    const events: SenderEvent[] = []
    sender = new Sender({
      spool,
      target: { edge: edge.url, token: 't' },
      policy: fast,
      idleMs: 10,
      onEvent: (e) => events.push(e),
    })
    const running = sender.run()
    await until(() => spool.ack === 1, 'both acknowledged')
    sender.stop()
    await running
    expect(events.find((e) => e.kind === 'rejected')).toMatchObject({
      lsn: 0,
      reason: expect.stringMatching(/400/),
    })
    expect(edge.batches.get('b/0')?.gap).toBe('rejected')
    expect(edge.events()).toHaveLength(2)
  })

  it('stops on a refused credential and keeps the batch', async () => {
    edge = await LocalEdge.start()
    const spool = Spool.open(mkdtempSync(join(tmpdir(), 'socbox-sender-')), 'b', {
      maxBytes: 1 << 20,
    })
    spool.append([{ cls: 'detail', payload: batch(0, 1), events: 1 }])
    spool.sync()
    const refusing = { edge: edge.url, token: 't' }
    const server = edge as unknown as {
      handle: (req: unknown, res: import('node:http').ServerResponse) => void
    }
    server.handle = (_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' })
      res.end('{"error":"invalid sensor credential"}')
    }
    sender = new Sender({ spool, target: refusing, policy: fast })
    await sender.run()
    expect(sender.fatal).toMatch(/401.*invalid sensor credential/)
    expect(spool.ack).toBe(-1)
  })
  it('stops on a wire version the edge does not read and keeps every batch', async () => {
    edge = await LocalEdge.start()
    const spool = Spool.open(mkdtempSync(join(tmpdir(), 'socbox-sender-')), 'b', {
      maxBytes: 1 << 20,
    })
    spool.append([{ cls: 'detail', payload: gzipSync('{"v":99,"n":0,"groups":[]}'), events: 0 }])
    spool.append([{ cls: 'detail', payload: batch(0, 1), events: 1 }])
    spool.sync()
    const events: SenderEvent[] = []
    sender = new Sender({
      spool,
      target: { edge: edge.url, token: 't' },
      policy: fast,
      onEvent: (e) => events.push(e),
    })
    await sender.run()
    expect(sender.fatal).toMatch(/415.*unknown wire version 99/)
    expect(events.some((e) => e.kind === 'rejected')).toBe(false)
    expect(spool.ack).toBe(-1)
    expect(edge.batches.has('b/0')).toBe(false)
  })
})
