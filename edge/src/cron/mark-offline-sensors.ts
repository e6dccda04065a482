/**
 * Cron backstop for sensor liveness: a sensor that was online but has sent nothing for
 * SENSOR_OFFLINE_AFTER_S is marked offline and a `device.offline` alert is raised (once per
 * outage: the key carries the last-seen time). The per-sensor Durable Object alarm does the
 * same sooner; this catches sensors whose object never ran.
 */
import { and, eq, lt } from 'drizzle-orm'
import { deviceOfflineAlert } from '../alerts/device-alerts.ts'
import { alertInserts } from '../alerts/store.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'

export async function markOfflineSensors(env: Env, db: Database, now = Date.now()) {
  const offlineAfterMs = Number(env.SENSOR_OFFLINE_AFTER_S) * 1000
  const stale = await db
    .select({
      id: sensors.id,
      tenantId: sensors.tenantId,
      name: sensors.name,
      lastSeenAt: sensors.lastSeenAt,
    })
    .from(sensors)
    .where(and(eq(sensors.status, 'online'), lt(sensors.lastSeenAt, now - offlineAfterMs)))
  if (stale.length === 0) return { offline: [] as string[], alerts: 0 }
  const updates = stale.map((s) =>
    db
      .update(sensors)
      .set({ status: 'offline' })
      // Only if nothing arrived meanwhile: ingest may have refreshed last_seen_at.
      .where(and(eq(sensors.id, s.id), eq(sensors.lastSeenAt, s.lastSeenAt ?? 0))),
  )
  const inserts = alertInserts(
    db,
    stale.map((s) => deviceOfflineAlert(s, s.lastSeenAt ?? 0, now)),
    now,
  )
  const [first, ...rest] = [...updates, ...inserts]
  if (!first) return { offline: [], alerts: 0 }
  const results = await db.batch([first, ...rest])
  const stored = results.slice(updates.length).flat() as { id: number; tenantId: string }[]
  if (stored.length > 0) await env.NOTIFY.send({ kind: 'alerts.new', alerts: stored })
  return { offline: stale.map((s) => s.id), alerts: stored.length }
}
