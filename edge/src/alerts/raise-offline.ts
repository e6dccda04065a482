/**
 * Marks a sensor offline in D1 and raises its `device.offline` alert, in one D1 batch, then
 * queues the notification. Shared by the SensorHub alarm and the cron backstop: both pass the
 * same last-seen time, so the alert key is the same and an outage makes one alert.
 * The status changes only if D1's last_seen_at still equals `lastSeenAt` (nothing newer came).
 */
import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { enqueueNewAlerts } from '../queue/enqueue-new-alerts.ts'
import { deviceOfflineAlert, type SensorRef } from './device-alerts.ts'
import { alertInserts } from './store.ts'

export async function raiseOffline(
  env: Env,
  db: Database,
  stale: (SensorRef & { lastSeenAt: number })[],
  now: number,
) {
  const updates = stale.map((s) =>
    db
      .update(sensors)
      .set({ status: 'offline' })
      .where(and(eq(sensors.id, s.id), eq(sensors.lastSeenAt, s.lastSeenAt))),
  )
  const inserts = alertInserts(
    db,
    stale.map((s) => deviceOfflineAlert(s, s.lastSeenAt, now)),
    now,
  )
  const [first, ...rest] = [...updates, ...inserts]
  if (!first) return []
  const results = await db.batch([first, ...rest])
  const stored = results.slice(updates.length).flat() as { id: number; tenantId: string }[]
  await enqueueNewAlerts(env, db, stored)
  return stored
}
