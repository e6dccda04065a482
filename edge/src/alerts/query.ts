/**
 * Reading alerts, always through the principal's tenant scope. The detail lookup answers
 * "not found" for another tenant's alert, so ids reveal nothing across tenants.
 */
import { and, desc, eq, gte, inArray, lt, type SQL } from 'drizzle-orm'
import { type Principal, tenantScope } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { type AlertStatus, alerts, type Severity, sensors, tenants } from '../db/schema.ts'

export type AlertFilter = {
  severity?: Severity[]
  status?: AlertStatus[]
  class?: string
  /** Only alerts whose event time is at or after this (ms). */
  since?: number
  /** Keyset paging: only alerts with an id below this. */
  before?: number
  limit: number
}

const listColumns = {
  id: alerts.id,
  tenantId: alerts.tenantId,
  tenantName: tenants.name,
  sensorId: alerts.sensorId,
  sensorName: sensors.name,
  rule: alerts.rule,
  ruleVersion: alerts.ruleVersion,
  class: alerts.class,
  severity: alerts.severity,
  ts: alerts.ts,
  srcIp: alerts.srcIp,
  srcPort: alerts.srcPort,
  dstIp: alerts.dstIp,
  dstPort: alerts.dstPort,
  flow: alerts.flow,
  title: alerts.title,
  status: alerts.status,
  createdAt: alerts.createdAt,
}

export async function listAlerts(db: Database, principal: Principal, filter: AlertFilter) {
  const conditions: (SQL | undefined)[] = [tenantScope(db, principal, alerts.tenantId)]
  if (filter.severity?.length) conditions.push(inArray(alerts.severity, filter.severity))
  if (filter.status?.length) conditions.push(inArray(alerts.status, filter.status))
  if (filter.class) conditions.push(eq(alerts.class, filter.class))
  if (filter.since !== undefined) conditions.push(gte(alerts.ts, filter.since))
  if (filter.before !== undefined) conditions.push(lt(alerts.id, filter.before))
  const rows = await db
    .select(listColumns)
    .from(alerts)
    .innerJoin(tenants, eq(tenants.id, alerts.tenantId))
    .innerJoin(sensors, eq(sensors.id, alerts.sensorId))
    .where(and(...conditions))
    .orderBy(desc(alerts.id))
    .limit(filter.limit + 1)
  const page = rows.slice(0, filter.limit)
  const last = page.at(-1)
  return { alerts: page, next: rows.length > filter.limit && last ? last.id : null }
}

export type AlertListItem = Awaited<ReturnType<typeof listAlerts>>['alerts'][number]

export async function getAlert(db: Database, principal: Principal, id: number) {
  const row = await db
    .select({
      ...listColumns,
      explain: alerts.explain,
      actions: alerts.actions,
      attack: alerts.attack,
      evidence: alerts.evidence,
      dedupKey: alerts.dedupKey,
    })
    .from(alerts)
    .innerJoin(tenants, eq(tenants.id, alerts.tenantId))
    .innerJoin(sensors, eq(sensors.id, alerts.sensorId))
    .where(and(eq(alerts.id, id), tenantScope(db, principal, alerts.tenantId)))
    .get()
  return row ?? null
}

export type AlertDetail = NonNullable<Awaited<ReturnType<typeof getAlert>>>
