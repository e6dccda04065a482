import { describe, expect, it } from 'vitest'
import { healthAlerts, type Limits, SUSTAINED_MS } from './health-alerts.ts'
import { dropRate, parseHeartbeat } from './heartbeat.ts'

const sensor = { id: 'sen_h', tenantId: 'ten_h', name: 'hq' }
const limits: Limits = { bandwidthLimitBps: 1e9, endpointLimit: 1000, dropRateLimit: 0.05 }
const T = 1_800_000_000_000

describe('parseHeartbeat', () => {
  it('keeps known fields and refuses bad values with the field name', () => {
    expect(parseHeartbeat({ agent_version: '0.1.0', bps: 5, extra: 1 })).toEqual({
      agent_version: '0.1.0',
      bps: 5,
    })
    expect(() => parseHeartbeat({ agent_version: '0.1.0', pps: -1 })).toThrow(/pps/)
    expect(() => parseHeartbeat({ bps: 1 })).toThrow(/agent_version/)
    expect(() => parseHeartbeat([])).toThrow(/object/)
  })

  it('keeps the sensor partial-state counters, which are not packet drops', () => {
    const hb = parseHeartbeat({
      agent_version: '0.1.0',
      packets: 1000,
      app_state_dropped: 3,
      encrypted_skipped: 2,
    })
    expect(hb).toMatchObject({ app_state_dropped: 3, encrypted_skipped: 2 })
    expect(dropRate(hb)).toBe(0)
    expect(() => parseHeartbeat({ agent_version: '0.1.0', encrypted_skipped: -1 })).toThrow(
      /encrypted_skipped/,
    )
  })

  it('computes the drop rate only over enough packets', () => {
    expect(dropRate({ agent_version: 'x', packets: 900, drops_kernel: 100 })).toBeCloseTo(0.1)
    expect(dropRate({ agent_version: 'x', packets: 10, drops_app: 1 })).toBeUndefined()
  })
})

describe('healthAlerts', () => {
  it('raises device.drops above the tenant limit, once per hour', () => {
    const hb = { agent_version: 'x', packets: 9000, drops_kernel: 1000 }
    const first = healthAlerts(sensor, hb, limits, { overBandwidthSince: null }, T)
    expect(first.alerts.map((a) => a.class)).toEqual(['device.drops'])
    const later = healthAlerts(sensor, hb, limits, first.memory, T + 60_000)
    expect(later.alerts[0]?.key).toBe(first.alerts[0]?.key)
    const quiet = healthAlerts(sensor, hb, { ...limits, dropRateLimit: 0.2 }, first.memory, T)
    expect(quiet.alerts).toEqual([])
  })

  it('raises contract.bandwidth only after 5 minutes above the limit without a break', () => {
    const over = { agent_version: 'x', bps: 1.2e9 }
    let memory = { overBandwidthSince: null as number | null }
    let r = healthAlerts(sensor, over, limits, memory, T)
    expect(r.alerts).toEqual([])
    memory = r.memory
    r = healthAlerts(sensor, { agent_version: 'x', bps: 0.5e9 }, limits, memory, T + 60_000)
    expect(r.memory.overBandwidthSince).toBeNull()
    memory = healthAlerts(sensor, over, limits, r.memory, T + 120_000).memory
    expect(
      healthAlerts(sensor, over, limits, memory, T + 120_000 + SUSTAINED_MS - 1).alerts,
    ).toEqual([])
    const fired = healthAlerts(sensor, over, limits, memory, T + 120_000 + SUSTAINED_MS)
    expect(fired.alerts.map((a) => a.class)).toEqual(['contract.bandwidth'])
    expect(fired.alerts[0]?.title.ja).toContain('1.00 Gbit/s')
  })

  it('raises contract.endpoints over the limit, keyed by month', () => {
    const r = healthAlerts(
      sensor,
      { agent_version: 'x', endpoints_30d: 1001 },
      limits,
      { overBandwidthSince: null },
      T,
    )
    expect(r.alerts.map((a) => a.class)).toEqual(['contract.endpoints'])
    expect(r.alerts[0]?.key).toBe('EDGE-CONTRACT-ENDPOINTS|sen_h|2027-01')
    const within = healthAlerts(
      sensor,
      { agent_version: 'x', endpoints_30d: 1000 },
      limits,
      r.memory,
      T,
    )
    expect(within.alerts).toEqual([])
  })
})
