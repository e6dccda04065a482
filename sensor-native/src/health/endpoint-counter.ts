/**
 * Distinct internal hosts over the last 24 hours and 30 days, from the events' internal `src.ip`
 * and `dst.ip`. Memory stays bounded whatever the traffic: one HyperLogLog sketch per hour for
 * the last day and one per day for the last 30 days (at most 55 sketches of 4 KiB). Windows end
 * at the latest event time seen, so a replayed capture counts its own days, and a live sensor's
 * event time is the clock anyway. The counter is kept in the spool directory across restarts.
 */
import { join } from 'node:path'
import { readJsonIfExists, writeJsonAtomic } from '../spool/atomic-file.ts'
import { HyperLogLog } from './hyperloglog.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const FILE = 'endpoints.json'

export type EndpointCounts = { last24h: number; last30d: number }
type Saved = { v: 1; latest: number; hours: [number, string][]; days: [number, string][] }

export class EndpointCounter {
  private readonly hours = new Map<number, HyperLogLog>()
  private readonly days = new Map<number, HyperLogLog>()
  private latest = Number.NEGATIVE_INFINITY

  /** Hosts seen at event time `tsMs` (milliseconds since the epoch). */
  add(hosts: Iterable<string>, tsMs: number): void {
    const hour = bucket(this.hours, Math.floor(tsMs / HOUR))
    const day = bucket(this.days, Math.floor(tsMs / DAY))
    for (const host of hosts) {
      hour.add(host)
      day.add(host)
    }
    if (tsMs > this.latest) {
      this.latest = tsMs
      this.prune()
    }
  }

  counts(): EndpointCounts {
    if (!Number.isFinite(this.latest)) return { last24h: 0, last30d: 0 }
    const hour = Math.floor(this.latest / HOUR)
    const day = Math.floor(this.latest / DAY)
    return {
      last24h: union(this.hours, hour - 23, hour),
      last30d: union(this.days, day - 29, day),
    }
  }

  save(dir: string): void {
    const saved: Saved = {
      v: 1,
      latest: Number.isFinite(this.latest) ? this.latest : 0,
      hours: [...this.hours].map(([k, h]) => [k, h.toBase64()]),
      days: [...this.days].map(([k, h]) => [k, h.toBase64()]),
    }
    writeJsonAtomic(join(dir, FILE), saved)
  }

  /** The counter saved in `dir`; a fresh one when there is none or it cannot be used. */
  static load(dir: string, report: (problem: string) => void = () => {}): EndpointCounter {
    const counter = new EndpointCounter()
    let saved: Saved | undefined
    try {
      saved = readJsonIfExists(join(dir, FILE)) as Saved | undefined
      if (saved === undefined) return counter
      if (saved.v !== 1) throw new Error(`version ${saved.v} is not 1`)
      for (const [k, b] of saved.hours) counter.hours.set(k, HyperLogLog.fromBase64(b))
      for (const [k, b] of saved.days) counter.days.set(k, HyperLogLog.fromBase64(b))
      if (saved.latest > 0) counter.latest = saved.latest
    } catch (err) {
      // Losing the counts only lowers the endpoint figures for a while; the agent goes on.
      report(
        `${join(dir, FILE)} cannot be used (${(err as Error).message}); counting endpoints anew`,
      )
      return new EndpointCounter()
    }
    return counter
  }

  private prune(): void {
    const hour = Math.floor(this.latest / HOUR)
    const day = Math.floor(this.latest / DAY)
    for (const k of this.hours.keys()) if (k < hour - 23) this.hours.delete(k)
    for (const k of this.days.keys()) if (k < day - 29) this.days.delete(k)
  }
}

function bucket(map: Map<number, HyperLogLog>, key: number): HyperLogLog {
  let h = map.get(key)
  if (!h) {
    h = new HyperLogLog()
    map.set(key, h)
  }
  return h
}

function union(map: Map<number, HyperLogLog>, from: number, to: number): number {
  const all = new HyperLogLog()
  for (const [k, h] of map) if (k >= from && k <= to) all.merge(h)
  return all.count()
}
