/**
 * The alerts the edge raises about a sensor (device.offline from the hub alarm and the cron
 * backstop; device.drops, contract.bandwidth and contract.endpoints from heartbeats; intel.feed
 * from the cron, attributed to one sensor of the tenant) go through
 * the same compiled alert policy as the rules' alerts: exceptions, suppression windows, severity
 * mapping, dedup, rate limits folded into digests, and routes. So a policy can silence a sensor
 * under maintenance, raise contract alerts, or send device.* to the operations channel.
 *
 * The policy's memory for these alerts lives in D1 (`device_policy_state`, one row per sensor)
 * and is written in the same D1 batch as the alerts it let through (with the caller's own
 * statements, e.g. the sensor's status), as process-batch.ts does for batches. Each alert keeps
 * the key the edge gave it (it already names its episode: one outage, one hour of drops), so the
 * hub alarm and the cron backstop raising the same outage still store one row.
 */
import type { CompiledPolicy, PolicyAlert, PolicyState } from '@socbox/dsl/runtime'
import { eq } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { SensorRef } from '../alerts/device-alerts.ts'
import { alertInserts, type NewAlert, type StoredAlert } from '../alerts/store.ts'
import type { Database } from '../db/client.ts'
import type { Env } from '../env.ts'
import { defaultPolicy } from '../ingest/engine.ts'
import { newAlertOf } from '../ingest/process-batch.ts'
import { enqueueNewAlerts } from '../queue/enqueue-new-alerts.ts'
import { devicePolicyState, tenantSiteSettings } from './tables.ts'

type DeviceAlert = NewAlert & PolicyAlert

export type DeviceOutcome = {
  stored: StoredAlert[]
  /** Alerts the policy did not store (exception, suppression window, dedup, rate limit). */
  suppressed: { class: string; reason: string; name?: string }[]
  /** Whether the policy still holds open rate windows (a later call may emit their digests). */
  windowsOpen: boolean
}

/**
 * Applies the policy to `found` (alerts about `sensor`, possibly none: open rate windows then
 * close by time), then stores what it lets through together with `statements`, in one D1 batch,
 * and queues the notifications with their routes.
 */
export async function raiseDeviceAlerts(
  env: Pick<Env, 'NOTIFY'>,
  db: Database,
  sensor: Pick<SensorRef, 'id' | 'tenantId'>,
  found: NewAlert[],
  now: number,
  statements: BatchItem<'sqlite'>[] = [],
  policy: CompiledPolicy | undefined = defaultPolicy,
): Promise<DeviceOutcome> {
  if (policy === undefined) {
    const stored = await commit(db, found, statements)
    await enqueueNewAlerts(env, db, stored)
    return { stored, suppressed: [], windowsOpen: false }
  }
  const [rows, sites] = await db.batch([
    db.select().from(devicePolicyState).where(eq(devicePolicyState.sensorId, sensor.id)),
    db.select().from(tenantSiteSettings).where(eq(tenantSiteSettings.tenantId, sensor.tenantId)),
  ])
  const problems: string[] = []
  const row = rows[0]?.tenantId === sensor.tenantId ? rows[0] : undefined
  let saved: PolicyState | undefined
  if (row) {
    const restored = policy.restore(parseJson(row.state))
    saved = restored.state
    if (restored.problem) problems.push(restored.problem)
  }
  const site = parseJson(sites[0]?.settings ?? 'null')
  const ctx = {
    tenant: sensor.tenantId,
    sensor: sensor.id,
    watermark: now,
    ...(isObject(site) ? { site } : {}),
  }
  const alerts: DeviceAlert[] = found.map((a) => ({
    ...a,
    version: a.ruleVersion,
    event: { kind: 'device' },
  }))
  const decided = policy.apply(alerts, ctx, saved)
  problems.push(...decided.problems)
  for (const e of decided.expired)
    problems.push(
      `exception "${e.name}" (owner ${e.owner}) expired ${e.expires} but matched ${e.count} device alert(s): stored`,
    )
  for (const problem of problems) console.warn(`policy on sensor ${sensor.id}: ${problem}`)

  const routes = new Map<string, string[]>()
  const toStore: NewAlert[] = []
  const note = { id: policy.id, version: policy.version }
  for (const { alert, routes: channels, ruleSeverity } of decided.store) {
    const { version: _version, event: _event, ...plain } = alert
    routes.set(plain.key, channels)
    const evidence = isObject(plain.evidence) ? plain.evidence : { detail: plain.evidence }
    toStore.push({
      ...plain,
      evidence: { ...evidence, policy: { ...note, ...(ruleSeverity ? { ruleSeverity } : {}) } },
    })
  }
  for (const digest of decided.digests) {
    routes.set(digest.storeKey, digest.routes)
    toStore.push(newAlertOf(sensor, digest.alert, digest.storeKey, { digest: digest.alert.digest }))
  }
  const stateText = JSON.stringify(decided.state)
  const save =
    stateText === row?.state
      ? []
      : [
          db
            .insert(devicePolicyState)
            .values({
              sensorId: sensor.id,
              tenantId: sensor.tenantId,
              policy: decided.state.policy,
              state: stateText,
              updatedAt: now,
            })
            .onConflictDoUpdate({
              target: devicePolicyState.sensorId,
              set: {
                tenantId: sensor.tenantId,
                policy: decided.state.policy,
                state: stateText,
                updatedAt: now,
              },
            }),
        ]
  const stored = await commit(db, toStore, [...statements, ...save], now)
  await enqueueNewAlerts(env, db, stored, routes)
  return {
    stored,
    suppressed: decided.suppressed.map((s) => ({
      class: s.alert.class,
      reason: s.reason,
      ...(s.name ? { name: s.name } : {}),
    })),
    windowsOpen: decided.state.rates.length > 0,
  }
}

async function commit(
  db: Database,
  alerts: NewAlert[],
  statements: BatchItem<'sqlite'>[],
  now = Date.now(),
): Promise<StoredAlert[]> {
  const inserts = alertInserts(db, alerts, now)
  const [first, ...rest] = [...statements, ...inserts]
  if (!first) return []
  const results = await db.batch([first, ...rest])
  return results.slice(statements.length).flat() as StoredAlert[]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
