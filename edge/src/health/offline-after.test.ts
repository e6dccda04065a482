import { describe, expect, it } from 'vitest'
import { heartbeatEvery, offlineAfterMs } from './offline-after.ts'

const none = { lastHeartbeatAt: null, heartbeatEvery: null, offlineMissed: null }

describe('offline after missed heartbeats', () => {
  it('learns the heartbeat pace and ignores outages', () => {
    expect(heartbeatEvery(none, 1000)).toBeNull()
    const first = heartbeatEvery({ ...none, lastHeartbeatAt: 0 }, 5000)
    expect(first).toBe(5000)
    const steady = heartbeatEvery({ ...none, lastHeartbeatAt: 5000, heartbeatEvery: 5000 }, 11_000)
    expect(steady).toBe(5250)
    // A 10-minute silence is an outage, not the pace.
    expect(heartbeatEvery({ ...none, lastHeartbeatAt: 0, heartbeatEvery: 5000 }, 600_000)).toBe(
      5000,
    )
  })

  it('is N missed intervals with half an interval of slack, else the deployment default', () => {
    expect(offlineAfterMs({ ...none, heartbeatEvery: 5000, offlineMissed: 3 }, 300_000)).toBe(
      17_500,
    )
    expect(offlineAfterMs({ ...none, heartbeatEvery: 5000, offlineMissed: 10 }, 300_000)).toBe(
      52_500,
    )
    expect(offlineAfterMs({ ...none, heartbeatEvery: null, offlineMissed: 3 }, 300_000)).toBe(
      300_000,
    )
  })
})
