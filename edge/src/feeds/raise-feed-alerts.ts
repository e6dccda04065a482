/**
 * Cron step: raises the `intel.feed` alerts of the bundled pack's feed status for every tenant
 * with a sensor that has reported (pending sensors run nothing yet), through the alert policy
 * like the edge's other own alerts (device-alert-policy.ts: an exception or a route can name
 * `intel.feed`), one D1 batch per tenant, and queues the notifications of the new ones. Repeated
 * runs store nothing new: the alert key is unique per tenant (see feed-alerts.ts).
 */

import type { CompiledPolicy } from '@socbox/dsl/runtime'
import bundledFeedStatus from '@socbox/rules/feed-status'
import { ne, sql } from 'drizzle-orm'
import type { NewAlert, StoredAlert } from '../alerts/store.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { defaultPolicy } from '../ingest/engine.ts'
import { raiseDeviceAlerts } from '../policy/device-alert-policy.ts'
import { type FeedStatusReport, feedAlerts } from './feed-alerts.ts'

export async function raiseFeedAlerts(
  env: Pick<Env, 'NOTIFY'>,
  db: Database,
  now: number,
  report: FeedStatusReport = bundledFeedStatus as FeedStatusReport,
  policy: CompiledPolicy | undefined = defaultPolicy,
): Promise<StoredAlert[]> {
  const tenantSensors = await db
    .select({ tenantId: sensors.tenantId, sensorId: sql<string>`min(${sensors.id})` })
    .from(sensors)
    .where(ne(sensors.status, 'pending'))
    .groupBy(sensors.tenantId)
  // Each tenant's alerts are attributed to one of its sensors, whose policy memory they use.
  const bySensor = new Map<string, NewAlert[]>()
  for (const alert of feedAlerts(report, tenantSensors, now)) {
    const list = bySensor.get(alert.sensorId) ?? []
    list.push(alert)
    bySensor.set(alert.sensorId, list)
  }
  const stored: StoredAlert[] = []
  for (const [sensorId, found] of bySensor) {
    const sensor = { id: sensorId, tenantId: found[0]?.tenantId ?? '' }
    const outcome = await raiseDeviceAlerts(env, db, sensor, found, now, [], policy)
    stored.push(...outcome.stored)
  }
  return stored
}
