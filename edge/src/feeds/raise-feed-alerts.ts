/**
 * Cron step: raises the `intel.feed` alerts of the bundled pack's feed status for every tenant
 * with a sensor that has reported (pending sensors run nothing yet), in one D1 batch, and queues
 * the notifications of the new ones. Repeated runs store nothing new: the alert key is unique
 * per tenant (see feed-alerts.ts).
 */
import bundledFeedStatus from '@socbox/rules/feed-status'
import { ne, sql } from 'drizzle-orm'
import { alertInserts } from '../alerts/store.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { enqueueNewAlerts } from '../queue/enqueue-new-alerts.ts'
import { type FeedStatusReport, feedAlerts } from './feed-alerts.ts'

export async function raiseFeedAlerts(
  env: Pick<Env, 'NOTIFY'>,
  db: Database,
  now: number,
  report: FeedStatusReport = bundledFeedStatus as FeedStatusReport,
) {
  const tenantSensors = await db
    .select({ tenantId: sensors.tenantId, sensorId: sql<string>`min(${sensors.id})` })
    .from(sensors)
    .where(ne(sensors.status, 'pending'))
    .groupBy(sensors.tenantId)
  const [first, ...rest] = alertInserts(db, feedAlerts(report, tenantSensors, now), now)
  if (!first) return []
  const stored = (await db.batch([first, ...rest])).flat() as { id: number; tenantId: string }[]
  await enqueueNewAlerts(env, db, stored)
  return stored
}
