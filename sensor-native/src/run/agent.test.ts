// The agent end to end in-process: an events file as the source, a real spool in a temp dir, a
// real HTTP edge on 127.0.0.1. (cli/run.test.ts does the same across a SIGKILL.)
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { HEADER_BYTES } from '../spool/record.ts'
import { scanSegment } from '../spool/segment-scan.ts'
import { Agent } from './agent.ts'
import type { AgentConfig } from './config.ts'
import { LocalEdge } from './local-edge.ts'
import { eventKey, sampleEvents, writeEventsFile } from './sample-events.ts'

let edge: LocalEdge | undefined
afterEach(async () => edge?.down())

function setup(count: number, overrides: Partial<AgentConfig> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'socbox-agent-'))
  const events = sampleEvents(count)
  const path = join(dir, 'events.ndjson')
  writeEventsFile(path, events)
  const config = (edgeUrl: string): AgentConfig => ({
    edge: edgeUrl,
    token: 'sbs1.test.secret',
    source: { kind: 'events', path },
    homeNets: undefined,
    plan: undefined,
    spoolDir: join(dir, 'spool'),
    spoolMaxBytes: 64 << 20,
    segmentBytes: 64 << 10,
    batchEvents: 100,
    batchIntervalMs: 1000,
    replaySpeed: 0,
    syncIntervalMs: 20,
    shutdownGraceMs: 200,
    sendWindow: 4,
    ...overrides,
  })
  return { dir, events, config }
}

function expectExactlyOnce(sent: Record<string, unknown>[], arrived: Record<string, unknown>[]) {
  const keys = arrived.map(eventKey)
  expect(keys.length - new Set(keys).size, 'events delivered twice').toBe(0)
  expect(new Set(keys)).toEqual(new Set(sent.map(eventKey)))
}

async function until(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('Agent', () => {
  it('delivers every event exactly once across an edge outage, then ends', async () => {
    edge = await LocalEdge.start()
    edge.delayMs = 5
    const { events, config } = setup(3000)
    const logs: string[] = []
    const agent = new Agent(config(edge.url), { log: (l) => logs.push(l) })
    const running = agent.run()
    await until(() => (edge?.batches.size ?? 0) > 5, 'the first batches')
    await edge.down()
    await new Promise((r) => setTimeout(r, 800))
    await edge.up()
    const summary = await running
    expect(summary.stopped).toBe('end of input')
    expect(summary.spool.depth).toBe(0)
    expect(logs.some((l) => /cannot reach the edge/.test(l))).toBe(true)
    expectExactlyOnce(events, edge.events())
    // intel, dns and conn travel in separate records, so the spool could drop conn alone
    const kindsPerBatch = [...edge.batches.values()].map(
      (b) => new Set(b.events.map((e) => e.kind)).size,
    )
    expect(Math.max(...kindsPerBatch)).toBe(1)
  }, 30_000)

  it('stops on request and a second run (new boot) resumes the file without reading anything twice', async () => {
    edge = await LocalEdge.start()
    const { events, config } = setup(2000, { replaySpeed: 1, batchIntervalMs: 50 })
    const first = new Agent(config(edge.url))
    const running = first.run()
    await until(() => (edge?.batches.size ?? 0) >= 4, 'some batches')
    first.stop('test')
    const one = await running
    expect(one.stopped).toBe('test')
    expect(one.read?.offset).toBeLessThan(one.read?.size ?? 0)
    const second = await new Agent({ ...config(edge.url), replaySpeed: 0 }).run()
    expect(second.resumedAt).toBe(one.read?.offset)
    expect(second.boot).not.toBe(one.boot)
    expectExactlyOnce(events, edge.events())
  }, 30_000)

  it('skips a damaged spool record with a report and delivers the rest', async () => {
    edge = await LocalEdge.start()
    await edge.down()
    const { dir, events, config } = setup(500)
    let read = { offset: 0, size: 1 }
    const offline = new Agent(config(edge.url), { onProgress: (stats) => (read = stats) })
    const running = offline.run()
    await until(() => read.offset === read.size, 'the whole file in the spool')
    offline.stop('test')
    expect((await running).spool.depth).toBeGreaterThan(0)
    const spoolDir = join(dir, 'spool')
    const segment = readdirSync(spoolDir).find((n) => n.startsWith('detail-')) as string
    const bytes = readFileSync(join(spoolDir, segment))
    const victim = scanSegment(bytes).records[1]
    if (!victim) throw new Error('expected at least two detail records')
    bytes[victim.offset + HEADER_BYTES + 5] =
      (bytes[victim.offset + HEADER_BYTES + 5] as number) ^ 0xff
    writeFileSync(join(spoolDir, segment), bytes)
    await edge.up()
    const logs: string[] = []
    const summary = await new Agent(config(edge.url), { log: (l) => logs.push(l) }).run()
    expect(logs.some((l) => /damaged bytes .*payload checksum mismatch/.test(l))).toBe(true)
    expect(summary.sent.tombstones).toBe(1)
    const lost = events.filter((e) => e.kind === 'dns').slice(victim.events, 2 * victim.events)
    const arrived = edge.events()
    expect(arrived).toHaveLength(events.length - victim.events)
    expect(arrived.map(eventKey)).not.toContain(eventKey(lost[0] as Record<string, unknown>))
  }, 30_000)

  it('pauses a file source while the spool is full instead of dropping, and still delivers all', async () => {
    edge = await LocalEdge.start()
    edge.delayMs = 2
    const { events, config } = setup(3000, {
      spoolMaxBytes: 24 << 10,
      segmentBytes: 4 << 10,
      batchEvents: 50,
    })
    const logs: string[] = []
    const summary = await new Agent(config(edge.url), { log: (l) => logs.push(l) }).run()
    expect(summary.spool.droppedEvents).toBe(0)
    expect(logs.filter((l) => /dropped/.test(l))).toEqual([])
    expect(logs).toContain('spool nearly full: reading paused until the edge catches up')
    expectExactlyOnce(events, edge.events())
  }, 30_000)

  it('replays a capture through the native sensor, and a restart after the end reads nothing again', async () => {
    edge = await LocalEdge.start()
    const demo = new URL('../../fixtures/demo-dns-queries.pcap', import.meta.url).pathname
    const { config } = setup(0, { source: { kind: 'capture', path: demo }, plan: 'none' })
    const first = await new Agent(config(edge.url)).run()
    expect(first.error).toBeUndefined()
    const produced = first.read?.events ?? 0
    expect(produced).toBeGreaterThanOrEqual(6) // at least the six DNS transactions
    expect(edge.events()).toHaveLength(produced)
    const second = await new Agent(config(edge.url)).run()
    expect(second.error).toBeUndefined()
    expect(second.resumedAt).toBe(first.read?.size)
    expect(edge.events()).toHaveLength(produced)
  }, 30_000)

  it('delivers what the spool holds even when it must refuse to read a partly read capture', async () => {
    edge = await LocalEdge.start()
    await edge.down()
    // 225 events over 24 s of capture time (shared data, nDPI test capture, LGPL-3.0)
    const iodine = new URL(
      '../../../../shared/data/C2/ndpi__dns-tunnel-iodine.pcap',
      import.meta.url,
    ).pathname
    const { config } = setup(0, {
      source: { kind: 'capture', path: iodine },
      plan: 'none',
      replaySpeed: 4,
      batchEvents: 10,
      batchIntervalMs: 50,
    })
    let read = { offset: 0, size: 1, events: 0 }
    const first = new Agent(config(edge.url), { onProgress: (s) => (read = s) })
    const running = first.run()
    await until(() => read.events >= 20, 'a few events read')
    first.stop('test')
    const one = await running
    expect(one.read?.offset).toBeLessThan(one.read?.size ?? 0)
    expect(one.spool.depth).toBeGreaterThan(0)
    await edge.up()
    const logs: string[] = []
    const two = await new Agent(config(edge.url), { log: (l) => logs.push(l) }).run()
    // Events of this capture are not unique by kind, flow and ts; counts show loss or doubling.
    const keys = edge.events()
    if (two.error) {
      // This addon cannot seek: nothing is read again, but the spooled events still arrive.
      expect(two.stopped).toBe('source error')
      expect(two.error).toMatch(/cannot resume a capture/)
      expect(keys).toHaveLength(one.spooled.events)
      expect(logs.some((l) => /delivering what the spool holds/.test(l))).toBe(true)
    } else {
      expect(keys).toHaveLength(one.spooled.events + two.spooled.events)
    }
    expect(two.spool.depth).toBe(0)
  }, 30_000)
})
