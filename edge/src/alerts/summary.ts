/** Counts for the dashboard, in the principal's scope: open alerts by severity and by class. */
import { and, count, gte, inArray } from 'drizzle-orm'
import { type Principal, tenantScope } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { alerts, type Severity, sensors } from '../db/schema.ts'

export type Summary = {
  openBySeverity: Partial<Record<Severity, number>>
  recentByClass: { class: string; n: number }[]
  sensors: { online: number; offline: number; pending: number }
}

export async function summarize(
  db: Database,
  principal: Principal,
  since: number,
): Promise<Summary> {
  const open = and(
    tenantScope(db, principal, alerts.tenantId),
    inArray(alerts.status, ['new', 'ack']),
  )
  const [bySeverity, byClass, bySensorStatus] = await db.batch([
    db
      .select({ severity: alerts.severity, n: count() })
      .from(alerts)
      .where(open)
      .groupBy(alerts.severity),
    db
      .select({ class: alerts.class, n: count() })
      .from(alerts)
      .where(and(tenantScope(db, principal, alerts.tenantId), gte(alerts.ts, since)))
      .groupBy(alerts.class)
      .orderBy(alerts.class),
    db
      .select({ status: sensors.status, n: count() })
      .from(sensors)
      .where(tenantScope(db, principal, sensors.tenantId))
      .groupBy(sensors.status),
  ])
  const fleet = { online: 0, offline: 0, pending: 0 }
  for (const row of bySensorStatus) fleet[row.status] = row.n
  return {
    openBySeverity: Object.fromEntries(bySeverity.map((r) => [r.severity, r.n])),
    recentByClass: byClass,
    sensors: fleet,
  }
}
