// Against a real local HTTP server that checks token and signature the way the edge does.
import { afterEach, describe, expect, it } from 'vitest'
import { type AgentFigures, HeartbeatCollector } from '../health/heartbeat-collector.ts'
import { HeartbeatLoop } from './heartbeat.ts'
import { PackAndHeartbeatEdge } from './pack-and-heartbeat-edge.ts'

const TOKEN = `sbs1.sensor-hb.${'s'.repeat(43)}`
let edge: PackAndHeartbeatEdge | undefined
afterEach(async () => {
  await edge?.close()
  edge = undefined
})

const until = async (check: () => boolean, what: string) => {
  const end = Date.now() + 5000
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

function loop(url: string, figures: () => AgentFigures, log: string[] = [], token = TOKEN) {
  return new HeartbeatLoop({
    target: { edge: url, token },
    boot: 'boot-1',
    intervalMs: 40,
    collector: new HeartbeatCollector('0.9.1'),
    figures,
    log: (l) => log.push(l),
  })
}

const figuresAt = (packets: number): AgentFigures => ({
  packets,
  bytes: packets * 500,
  droppedEvents: 3,
  kernelDrops: 0,
  appDropped: 0,
  encrypted: 0,
  spoolBytes: 4096,
  spoolDepth: 2,
  endpoints: { last24h: 7, last30d: 9 },
  packVersion: 'p-1',
})

describe('heartbeat loop', () => {
  it('posts signed, numbered heartbeats with the agent figures every interval', async () => {
    edge = await PackAndHeartbeatEdge.start(TOKEN)
    let packets = 0
    const hb = loop(edge.url, () => {
      packets += 100
      return figuresAt(packets)
    })
    hb.start()
    await until(() => (edge?.heartbeats.length ?? 0) >= 3, 'three heartbeats')
    await hb.stop()
    expect(edge.refused).toEqual([])
    const [first, second] = edge.heartbeats
    expect(first?.seq).toBe(0)
    expect(second?.seq).toBe(1)
    expect(first?.body).toMatchObject({
      agent_version: '0.9.1',
      pack_version: 'p-1',
      packets: 100,
      drops_app: 3,
      drops_kernel: 0,
      spool_bytes: 4096,
      spool_depth: 2,
      endpoints_24h: 7,
      endpoints_30d: 9,
    })
    expect(second?.body).toMatchObject({ packets: 100, drops_app: 0 })
    expect(second?.body.pps).toBeGreaterThan(0)
    expect(hb.totals.accepted).toBe(hb.totals.sent)
  })

  it('reports a refused credential and an unreachable edge once each, and keeps going', async () => {
    edge = await PackAndHeartbeatEdge.start(TOKEN)
    const log: string[] = []
    const zero = () => ({
      packets: 0,
      bytes: 0,
      droppedEvents: 0,
      kernelDrops: 0,
      appDropped: 0,
      encrypted: 0,
      spoolBytes: 0,
      spoolDepth: 0,
      endpoints: { last24h: 0, last30d: 0 },
      packVersion: undefined,
    })
    const wrong = loop(edge.url, zero, log, `sbs1.sensor-hb.${'x'.repeat(43)}`)
    wrong.start()
    await until(() => wrong.totals.failed >= 3, 'three refusals')
    await wrong.stop()
    expect(log).toEqual(['heartbeat: edge answered 401: unknown sensor token'])
    const url = edge.url
    await edge.close()
    edge = undefined
    const down = loop(url, zero, log)
    down.start()
    await until(() => down.totals.failed >= 2, 'two failures')
    await down.stop()
    expect(log.filter((l) => l.includes('cannot reach the edge'))).toHaveLength(1)
  })
})
