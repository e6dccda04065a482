/**
 * Cron backstop for sensor liveness: a sensor that was online but has sent nothing for
 * SENSOR_OFFLINE_AFTER_S is marked offline and a `device.offline` alert is raised (once per
 * outage: the key carries the last-seen time). The SensorHub alarm does the same on time; this
 * catches sensors whose hub alarm did not run.
 */
import { and, eq, lt } from 'drizzle-orm'
import { raiseOffline } from '../alerts/raise-offline.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'

export async function markOfflineSensors(env: Env, db: Database, now = Date.now()) {
  const offlineAfterMs = Number(env.SENSOR_OFFLINE_AFTER_S) * 1000
  const rows = await db
    .select({
      id: sensors.id,
      tenantId: sensors.tenantId,
      name: sensors.name,
      lastSeenAt: sensors.lastSeenAt,
    })
    .from(sensors)
    .where(and(eq(sensors.status, 'online'), lt(sensors.lastSeenAt, now - offlineAfterMs)))
  const stale = rows.map((s) => ({ ...s, lastSeenAt: s.lastSeenAt ?? 0 }))
  const stored = await raiseOffline(env, db, stale, now)
  return { offline: stale.map((s) => s.id), alerts: stored.length }
}
