/**
 * The SensorHub's own SQLite storage: the boot ledgers, a small key/value table for liveness
 * state, and per-minute health history for the last 24 hours. All calls are synchronous
 * (Durable Object SQLite), so a read-modify-write here cannot interleave with another request.
 */
import type { SensorRef } from '../alerts/device-alerts.ts'
import type { Heartbeat } from '../health/heartbeat.ts'
import { emptyLedger, type Ledger } from './seq-ledger.ts'

/** Boots remembered per sensor; a much older boot's batch would count as new again (its alerts
 * still dedup by key). */
const BOOTS_KEPT = 32
const HISTORY_MINUTES = 24 * 60

export type Liveness = {
  sensor: SensorRef | null
  lastSeenAt: number | null
  offline: boolean
  overBandwidthSince: number | null
  heartbeat: { boot: string; seq: number } | null
  latest: Heartbeat | null
  /** When the last heartbeat came, the usual gap between heartbeats (ms), and the tenant's
   * missed-heartbeat count for offline, as of that heartbeat. */
  lastHeartbeatAt: number | null
  heartbeatEvery: number | null
  offlineMissed: number | null
}

export type HealthMinute = {
  minute: number
  samples: number
  pps: number
  bps: number
  packets: number
  drops: number
  cpu: number
  rss_bytes: number
  spool_bytes: number
  endpoints_24h: number
}

export class HubStorage {
  private readonly sql: SqlStorage

  constructor(sql: SqlStorage) {
    this.sql = sql
    sql.exec(`CREATE TABLE IF NOT EXISTS boots (
      boot TEXT PRIMARY KEY, contiguous INTEGER NOT NULL, above TEXT NOT NULL,
      updated_at INTEGER NOT NULL)`)
    sql.exec('CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)')
    sql.exec(`CREATE TABLE IF NOT EXISTS health_minutes (
      minute INTEGER PRIMARY KEY, samples INTEGER NOT NULL, pps REAL NOT NULL, bps REAL NOT NULL,
      packets REAL NOT NULL, drops REAL NOT NULL, cpu REAL NOT NULL, rss_bytes REAL NOT NULL,
      spool_bytes REAL NOT NULL, endpoints_24h REAL NOT NULL)`)
  }

  ledger(boot: string): Ledger {
    const row = this.sql
      .exec<{ contiguous: number; above: string }>(
        'SELECT contiguous, above FROM boots WHERE boot = ?',
        boot,
      )
      .toArray()[0]
    return row ? { contiguous: row.contiguous, above: JSON.parse(row.above) } : emptyLedger()
  }

  saveLedger(boot: string, ledger: Ledger, now: number) {
    this.sql.exec(
      `INSERT INTO boots (boot, contiguous, above, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (boot) DO UPDATE SET contiguous = excluded.contiguous,
         above = excluded.above, updated_at = excluded.updated_at`,
      boot,
      ledger.contiguous,
      JSON.stringify(ledger.above),
      now,
    )
    this.sql.exec(
      'DELETE FROM boots WHERE boot NOT IN (SELECT boot FROM boots ORDER BY updated_at DESC LIMIT ?)',
      BOOTS_KEPT,
    )
  }

  liveness(): Liveness {
    const rows = this.sql.exec<{ key: string; value: string }>('SELECT key, value FROM state')
    const state: Record<string, unknown> = {}
    for (const row of rows) state[row.key] = JSON.parse(row.value)
    return {
      sensor: (state.sensor as SensorRef | undefined) ?? null,
      lastSeenAt: (state.lastSeenAt as number | undefined) ?? null,
      offline: state.offline === true,
      overBandwidthSince: (state.overBandwidthSince as number | undefined) ?? null,
      heartbeat: (state.heartbeat as Liveness['heartbeat'] | undefined) ?? null,
      latest: (state.latest as Heartbeat | undefined) ?? null,
      lastHeartbeatAt: (state.lastHeartbeatAt as number | undefined) ?? null,
      heartbeatEvery: (state.heartbeatEvery as number | undefined) ?? null,
      offlineMissed: (state.offlineMissed as number | undefined) ?? null,
    }
  }

  setLiveness(patch: Partial<Liveness>) {
    for (const [key, value] of Object.entries(patch)) {
      this.sql.exec(
        'INSERT INTO state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        key,
        JSON.stringify(value),
      )
    }
  }

  /** Folds a heartbeat into its minute: maxima for rates and gauges, sums for counts. */
  recordHealth(h: Heartbeat, now: number) {
    const minute = Math.floor(now / 60_000) * 60_000
    this.sql.exec(
      `INSERT INTO health_minutes VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (minute) DO UPDATE SET samples = samples + 1,
         pps = max(pps, excluded.pps), bps = max(bps, excluded.bps),
         packets = packets + excluded.packets, drops = drops + excluded.drops,
         cpu = max(cpu, excluded.cpu), rss_bytes = max(rss_bytes, excluded.rss_bytes),
         spool_bytes = max(spool_bytes, excluded.spool_bytes),
         endpoints_24h = max(endpoints_24h, excluded.endpoints_24h)`,
      minute,
      h.pps ?? 0,
      h.bps ?? 0,
      h.packets ?? 0,
      (h.drops_kernel ?? 0) + (h.drops_app ?? 0),
      h.cpu ?? 0,
      h.rss_bytes ?? 0,
      h.spool_bytes ?? 0,
      h.endpoints_24h ?? 0,
    )
    this.sql.exec('DELETE FROM health_minutes WHERE minute < ?', minute - HISTORY_MINUTES * 60_000)
  }

  healthHistory(): HealthMinute[] {
    return this.sql.exec<HealthMinute>('SELECT * FROM health_minutes ORDER BY minute').toArray()
  }
}
