/**
 * Marks a sensor offline in D1 and raises its `device.offline` alert through the alert policy
 * (which may silence, retune or route it: device-alert-policy.ts), in one D1 batch per sensor,
 * then queues the notification. Shared by the SensorHub alarm and the cron backstop: both pass
 * the same last-seen time, so the alert key is the same and an outage makes one alert.
 * The status changes only if D1's last_seen_at still equals `lastSeenAt` (nothing newer came).
 */
import type { CompiledPolicy } from '@socbox/dsl/runtime'
import { and, eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { defaultPolicy } from '../ingest/engine.ts'
import { raiseDeviceAlerts } from '../policy/device-alert-policy.ts'
import { deviceOfflineAlert, type SensorRef } from './device-alerts.ts'
import type { StoredAlert } from './store.ts'

export async function raiseOffline(
  env: Pick<Env, 'NOTIFY'>,
  db: Database,
  stale: (SensorRef & { lastSeenAt: number })[],
  now: number,
  policy: CompiledPolicy | undefined = defaultPolicy,
): Promise<StoredAlert[]> {
  const stored: StoredAlert[] = []
  for (const s of stale) {
    const update = db
      .update(sensors)
      .set({ status: 'offline' })
      .where(and(eq(sensors.id, s.id), eq(sensors.lastSeenAt, s.lastSeenAt)))
    const alert = deviceOfflineAlert(s, s.lastSeenAt, now)
    const outcome = await raiseDeviceAlerts(env, db, s, [alert], now, [update], policy)
    stored.push(...outcome.stored)
  }
  return stored
}
