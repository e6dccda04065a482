// Against a real local HTTP server serving packs like the edge, and the real native source.
import { decodeBatch, type PolicyIR } from '@socbox/dsl/runtime'
import { afterEach, describe, expect, it } from 'vitest'
import { native } from '../native.ts'
import { PackAndHeartbeatEdge } from './pack-and-heartbeat-edge.ts'
import { PackPoller } from './pack-poller.ts'

const TOKEN = `sbs1.sensor-pk.${'p'.repeat(43)}`
// Shared data: nDPI test capture (LGPL-3.0), DNS tunnel queries under pirate.sea.
const IODINE = new URL('../../../../shared/data/C2/ndpi__dns-tunnel-iodine.pcap', import.meta.url)
  .pathname
const PLAN = {
  v: 1,
  intel: [{ list: 'test', ioc: 'domain', entries: ['pirate.sea'] }],
  content: [],
}

const policy = (channel: string) =>
  ({
    type: 'policy',
    id: 'default',
    version: 1,
    routes: [{ channels: [channel] }],
  }) as unknown as PolicyIR

let edge: PackAndHeartbeatEdge | undefined
afterEach(async () => {
  await edge?.close()
  edge = undefined
})

type Ev = { kind: string; hits?: unknown[] }
const hitCount = (events: Ev[]) => events.filter((e) => (e.hits ?? []).length > 0).length

describe('pack poller', () => {
  it('swaps a newer verified pack into the running source between batches', async () => {
    edge = await PackAndHeartbeatEdge.start(TOKEN)
    edge.setPack('2026.11.27-2', PLAN)
    const source = new (native().FileSource)(IODINE, {})
    const head = decodeBatch(source.nextBatch(20) as Buffer) as Ev[]
    const log: string[] = []
    const poller = new PackPoller({
      target: { edge: edge.url, token: TOKEN },
      intervalMs: 60_000,
      plan: source,
      current: { version: '2026.11.27-1', hash: 'old' },
      log: (l) => log.push(l),
    })
    expect((await poller.poll()).kind).toBe('new')
    expect(poller.version).toBe('2026.11.27-2')
    expect(log).toEqual(['rule pack 2026.11.27-2 in use (was 2026.11.27-1)'])
    // Asked again with the new hash: 304, nothing to swap.
    expect((await poller.poll()).kind).toBe('unchanged')
    expect(edge.notModified).toBe(1)
    const tail: Ev[] = []
    for (let b = source.nextBatch(50); b; b = source.nextBatch(50))
      tail.push(...(decodeBatch(b) as Ev[]))
    expect(hitCount(head)).toBe(0)
    expect(hitCount(tail)).toBeGreaterThan(100)
    expect(poller.totals).toEqual({ polls: 2, swaps: 1, refused: 0, errors: 0 })
  })

  it('takes a policy-only change without swapping the plan, then asks with the new tag', async () => {
    edge = await PackAndHeartbeatEdge.start(TOKEN)
    const first = edge.setPack('p-1', PLAN, [], [policy('immediate')])
    const swapped: string[] = []
    const saved: string[] = []
    const log: string[] = []
    const poller = new PackPoller({
      target: { edge: edge.url, token: TOKEN },
      intervalMs: 60_000,
      plan: { setPlan: (p) => swapped.push(p) },
      log: (l) => log.push(l),
      onSwap: (pack) => saved.push(pack.version),
    })
    expect((await poller.poll()).kind).toBe('new')
    expect(swapped).toHaveLength(1)
    expect((await poller.poll()).kind).toBe('unchanged')
    expect(edge.notModified).toBe(1)

    // The edge's policies change; rules and plan do not.
    const second = edge.setPack('p-2', PLAN, [], [policy('pager')])
    expect(second.hash).toBe(first.hash)
    expect(second.policyHash).not.toBe(first.policyHash)
    expect((await poller.poll()).kind).toBe('new')
    expect(swapped).toHaveLength(1)
    expect(poller.version).toBe('p-2')
    expect(saved).toEqual(['p-1', 'p-2'])
    expect(log.at(-1)).toBe('rule pack p-2: policies changed, match plan unchanged (was p-1)')
    // And the next poll is a 304 again, with the new tag.
    expect((await poller.poll()).kind).toBe('unchanged')
    expect(edge.notModified).toBe(2)
    expect(poller.totals).toMatchObject({ polls: 4, swaps: 1, refused: 0 })
  })

  it('refuses a pack whose bytes do not match its hash, with a report, and keeps the old plan', async () => {
    edge = await PackAndHeartbeatEdge.start(TOKEN)
    edge.setPack('2026.11.27-3', PLAN)
    edge.tamper = (body) => body.replace('pirate.sea', 'evil.example')
    const swapped: string[] = []
    const log: string[] = []
    const poller = new PackPoller({
      target: { edge: edge.url, token: TOKEN },
      intervalMs: 20,
      plan: { setPlan: (p) => swapped.push(p) },
      current: { version: 'v-old', hash: 'old' },
      log: (l) => log.push(l),
    })
    poller.start()
    const end = Date.now() + 5000
    while (poller.totals.refused < 3 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 10))
    await poller.stop()
    expect(poller.totals.refused).toBeGreaterThanOrEqual(3)
    expect(swapped).toEqual([])
    expect(poller.version).toBe('v-old')
    // Reported once, not on every poll.
    expect(log).toHaveLength(1)
    expect(log[0]).toMatch(
      /refused a new rule pack, keeping v-old: pack 2026.11.27-3 does not match its hash/,
    )
    // Fixed on the edge: the next poll swaps it in.
    edge.tamper = undefined
    expect((await poller.poll()).kind).toBe('new')
    expect(swapped).toEqual([JSON.stringify(PLAN)])
  })

  it('keeps the old plan when the sensor refuses the new one', async () => {
    edge = await PackAndHeartbeatEdge.start(TOKEN)
    edge.setPack('bad-plan', { v: 1, intel: 'not a list' })
    const source = new (native().FileSource)(IODINE, {})
    const log: string[] = []
    const poller = new PackPoller({
      target: { edge: edge.url, token: TOKEN },
      intervalMs: 60_000,
      plan: source,
      log: (l) => log.push(l),
    })
    await poller.poll()
    expect(poller.version).toBeUndefined()
    expect(log[0]).toMatch(
      /refused a new rule pack, keeping the local plan: pack bad-plan: the sensor refused its plan/,
    )
    expect(source.nextBatch(10)).not.toBeNull()
  })
})
