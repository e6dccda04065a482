// The heartbeat and pack poll settings: durations, 0 for off, defaults.
import { describe, expect, it } from 'vitest'
import { describeProblem, loadConfig } from './config.ts'

const base = { SOCBOX_EDGE: 'http://127.0.0.1:1', SOCBOX_TOKEN: 't', SOCBOX_SOURCE: 'eth0' }

describe('heartbeat and pack poll settings', () => {
  it('default to 5 s and 1 min, take durations, and 0 turns them off', () => {
    const d = loadConfig({ flags: {}, env: base })
    expect(d.ok && [d.config.heartbeatIntervalMs, d.config.packPollMs]).toEqual([5000, 60_000])
    const set = loadConfig({
      flags: { 'heartbeat-interval': '2s' },
      env: { ...base, SOCBOX_PACK_POLL: '0' },
    })
    expect(set.ok && [set.config.heartbeatIntervalMs, set.config.packPollMs]).toEqual([2000, 0])
  })

  it('refuses what is too often or not a duration, saying how to fix it', () => {
    const r = loadConfig({
      flags: { 'heartbeat-interval': '5ms', 'pack-poll': 'often' },
      env: base,
    })
    expect(r.ok).toBe(false)
    const lines = r.ok ? [] : r.problems.map(describeProblem)
    expect(lines).toEqual([
      'heartbeatIntervalMs (from flag --heartbeat-interval): 5 ms is out of range; give 0 (off) or 100 ms to 600000 ms',
      'packPollMs (from flag --pack-poll): "often" is not a duration; give 0 (off) or 1000 ms to 86400000 ms',
    ])
  })
})
