import { describe, expect, it } from 'vitest'
import { type AgentFigures, HeartbeatCollector } from './heartbeat-collector.ts'

const figures = (over: Partial<AgentFigures>): AgentFigures => ({
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
  ...over,
})

describe('heartbeat collector', () => {
  it('turns totals into rates and drops over the interval', () => {
    const t = 1_000_000
    const c = new HeartbeatCollector('1.2.3', t)
    const first = c.collect(
      figures({ packets: 5000, bytes: 2_500_000, droppedEvents: 7, spoolBytes: 9000 }),
      t + 5000,
    )
    expect(first).toMatchObject({
      agent_version: '1.2.3',
      uptime_s: 5,
      pps: 1000,
      bps: 4_000_000,
      packets: 5000,
      drops_app: 7,
      drops_kernel: 0,
      spool_bytes: 9000,
    })
    expect(first.pack_version).toBeUndefined()
    const second = c.collect(
      figures({
        packets: 6000,
        bytes: 3_000_000,
        droppedEvents: 7,
        packVersion: '2026.11.27',
        endpoints: { last24h: 12, last30d: 40 },
      }),
      t + 7000,
    )
    expect(second).toMatchObject({
      uptime_s: 7,
      pps: 500,
      bps: 2_000_000,
      packets: 1000,
      drops_app: 0,
      pack_version: '2026.11.27',
      endpoints_24h: 12,
      endpoints_30d: 40,
    })
  })

  it('reports the sensor partial-state counters over the interval', () => {
    const t = 2_000_000
    const c = new HeartbeatCollector('1.2.3', t)
    expect(c.collect(figures({ appDropped: 4, encrypted: 9 }), t + 1000)).toMatchObject({
      app_state_dropped: 4,
      encrypted_skipped: 9,
    })
    expect(c.collect(figures({ appDropped: 6, encrypted: 9 }), t + 2000)).toMatchObject({
      app_state_dropped: 2,
      encrypted_skipped: 0,
    })
  })
})
