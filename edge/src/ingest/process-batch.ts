/**
 * What happens to a decoded batch once its sensor is known: rules run over the events (with the
 * tenant's site settings), the alert policy decides what of their alerts to store (final
 * severity, exceptions, suppression windows, dedup, rate limits folded into digests) and where to
 * route them; new alerts, digests, the policy's memory and the sensor's last-seen time are written
 * in one D1 batch, and the new alerts go to the notify queue with their channels. Returns only
 * after D1 has committed, so an ack means durably stored — and a retried batch meets exactly the
 * policy memory that was committed with its alerts.
 */
import type { Alert, CompiledPolicy, SocEvent, StatefulEngine } from '@socbox/dsl/runtime'
import { eq } from 'drizzle-orm'
import { alertInserts, type NewAlert, type StoredAlert } from '../alerts/store.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { firstSeenText, policyMemory, remember, saveStatement } from '../policy/policy-memory.ts'
import { enqueueNewAlerts } from '../queue/enqueue-new-alerts.ts'
import { defaultPolicy } from './engine.ts'

export type BatchSensor = { id: string; tenantId: string }

export type BatchOutcome = {
  accepted: number
  /** New alerts stored (digests included). */
  alerts: number
  /** Alerts the policy did not store (exception, window, dedup, folded into a digest). */
  suppressed: number
  digests: number
  ruleErrors: { rule: string; message: string; count: number }[]
}

export async function processBatch(
  env: Env,
  db: Database,
  engine: StatefulEngine,
  sensor: BatchSensor,
  events: SocEvent[],
  now = Date.now(),
  policy: CompiledPolicy | undefined = defaultPolicy,
): Promise<BatchOutcome> {
  const memory = await policyMemory(db, engine, policy, sensor, now)
  const ctx = {
    tenant: sensor.tenantId,
    sensor: sensor.id,
    ...(memory.site ? { site: memory.site } : {}),
  }
  const result = engine.evaluate(events, ctx)
  for (const error of result.errors) {
    console.warn(
      `rule ${error.rule} failed ${error.count}x on sensor ${sensor.id}: ${error.message}`,
    )
  }
  let watermark = 0
  for (const event of events) if (event.ts > watermark) watermark = event.ts
  const decided = policy
    ? policy.apply(result.alerts, { ...ctx, watermark }, memory.state)
    : undefined
  const problems = [...memory.problems, ...(decided?.problems ?? [])]
  for (const expired of decided?.expired ?? []) {
    problems.push(
      `exception "${expired.name}" (owner ${expired.owner}) expired ${expired.expires} but matched ${expired.count} alert(s): stored`,
    )
  }
  const next = {
    state: decided?.state,
    firstSeen: firstSeenText(engine, memory, now, problems),
  }
  for (const problem of problems) console.warn(`policy on sensor ${sensor.id}: ${problem}`)
  memory.problems = []

  const routes = new Map<string, string[]>()
  const newAlerts: NewAlert[] = []
  const add = (alert: Alert, storeKey: string, channels: string[], evidence: unknown) => {
    routes.set(storeKey, channels)
    newAlerts.push(newAlertOf(sensor, alert, storeKey, evidence))
  }
  if (decided) {
    for (const stored of decided.store) {
      const { alert } = stored
      const policyNote = {
        id: policy?.id,
        version: policy?.version,
        ...(stored.ruleSeverity ? { ruleSeverity: stored.ruleSeverity } : {}),
      }
      add(alert, stored.storeKey, stored.routes, { ...evidenceOf(alert), policy: policyNote })
    }
    for (const digest of decided.digests)
      add(digest.alert, digest.storeKey, digest.routes, { digest: digest.alert.digest })
  } else {
    for (const alert of result.alerts) add(alert, alert.key, [], evidenceOf(alert))
  }

  const seen = db
    .update(sensors)
    .set({ lastSeenAt: now, status: 'online' })
    .where(eq(sensors.id, sensor.id))
  const inserts = alertInserts(db, newAlerts, now)
  const save = saveStatement(db, memory, next, sensor, now)
  const results = await db.batch([seen, ...inserts, ...(save ? [save] : [])])
  remember(memory, next)
  const stored = results.slice(1, 1 + inserts.length).flat() as StoredAlert[]
  await enqueueNewAlerts(env, db, stored, routes)
  return {
    accepted: events.length,
    alerts: stored.length,
    suppressed: decided?.suppressed.length ?? 0,
    digests: decided?.digests.length ?? 0,
    ruleErrors: result.errors,
  }
}

// The event that completed the finding, and for correlations the window and counts.
function evidenceOf(alert: Alert): Record<string, unknown> {
  return alert.correlation
    ? { event: alert.event, correlation: alert.correlation }
    : { event: alert.event }
}

export function newAlertOf(
  sensor: BatchSensor,
  alert: Alert,
  storeKey: string,
  evidence: unknown,
): NewAlert {
  return {
    tenantId: sensor.tenantId,
    sensorId: sensor.id,
    rule: alert.rule,
    ruleVersion: alert.version,
    class: alert.class,
    severity: alert.severity,
    ts: alert.ts,
    src: alert.src,
    dst: alert.dst,
    flow: alert.flow,
    key: storeKey,
    title: alert.title,
    explain: alert.explain,
    actions: alert.actions,
    attack: alert.attack,
    evidence,
  }
}
