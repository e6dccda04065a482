/**
 * What happens to a decoded batch once its sensor is known: rules run over the events, new
 * alerts and the sensor's last-seen time are written in one D1 batch, and the new alerts go to
 * the notify queue. Returns only after D1 has committed, so an ack means durably stored.
 */
import type { Engine, SocEvent } from '@socbox/dsl/runtime'
import { eq } from 'drizzle-orm'
import { alertInserts, type NewAlert } from '../alerts/store.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { enqueueNewAlerts } from '../queue/enqueue-new-alerts.ts'

export type BatchSensor = { id: string; tenantId: string }

export type BatchOutcome = {
  accepted: number
  alerts: number
  ruleErrors: { rule: string; message: string; count: number }[]
}

export async function processBatch(
  env: Env,
  db: Database,
  engine: Engine,
  sensor: BatchSensor,
  events: SocEvent[],
  now = Date.now(),
): Promise<BatchOutcome> {
  const result = engine.evaluate(events, { tenant: sensor.tenantId, sensor: sensor.id })
  for (const error of result.errors) {
    console.warn(
      `rule ${error.rule} failed ${error.count}x on sensor ${sensor.id}: ${error.message}`,
    )
  }
  const newAlerts: NewAlert[] = result.alerts.map((a) => ({
    tenantId: sensor.tenantId,
    sensorId: sensor.id,
    rule: a.rule,
    ruleVersion: a.version,
    class: a.class,
    severity: a.severity,
    ts: a.ts,
    src: a.src,
    dst: a.dst,
    flow: a.flow,
    key: a.key,
    title: a.title,
    explain: a.explain,
    actions: a.actions,
    attack: a.attack,
    // The event that completed the finding, and for correlations the window and counts.
    evidence: a.correlation ? { event: a.event, correlation: a.correlation } : { event: a.event },
  }))
  const seen = db
    .update(sensors)
    .set({ lastSeenAt: now, status: 'online' })
    .where(eq(sensors.id, sensor.id))
  const [, ...inserted] = await db.batch([seen, ...alertInserts(db, newAlerts, now)])
  const stored = inserted.flat() as { id: number; tenantId: string }[]
  await enqueueNewAlerts(env, db, stored)
  return { accepted: events.length, alerts: stored.length, ruleErrors: result.errors }
}
