/**
 * "Offline after N missed heartbeats" in milliseconds. The interval is learnt from the sensor
 * (agents may be set to heartbeat at any pace): a running average of the gaps between its
 * heartbeats, ignoring gaps that are themselves outages. Half an interval of slack keeps a late
 * heartbeat from flapping the status.
 */
import type { Liveness } from '../durable/hub-storage.ts'

const MIN_MS = 1000
const MAX_MS = 10 * 60 * 1000

type Seen = Pick<Liveness, 'lastHeartbeatAt' | 'heartbeatEvery' | 'offlineMissed'>

/** The usual gap between heartbeats after one arriving at `now`. */
export function heartbeatEvery(live: Seen, now: number): number | null {
  if (live.lastHeartbeatAt === null) return live.heartbeatEvery
  const gap = Math.min(MAX_MS, Math.max(MIN_MS, now - live.lastHeartbeatAt))
  const before = live.heartbeatEvery
  if (before === null) return gap
  // An outage is not the pace: a gap over 3 usual intervals leaves the average alone.
  if (gap > 3 * before) return before
  return Math.round(before * 0.75 + gap * 0.25)
}

export function offlineAfterMs(live: Seen, fallbackMs: number): number {
  if (live.heartbeatEvery === null || live.offlineMissed === null) return fallbackMs
  return Math.round((live.offlineMissed + 0.5) * live.heartbeatEvery)
}
