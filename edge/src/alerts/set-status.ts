/**
 * Triage: moves an alert to new, ack or closed, within the principal's scope, and audits it.
 * Viewers may not; another tenant's alert is "not found". Shared by the portal form and the API.
 */
import { and, eq } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { audit } from '../audit/record.ts'
import { canTriage, type Principal, tenantScope } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { type AlertStatus, alertStatuses, alerts } from '../db/schema.ts'

export async function setAlertStatus(
  db: Database,
  principal: Principal,
  id: number,
  status: unknown,
  ip: string | undefined,
) {
  if (!canTriage(principal)) {
    throw new HTTPException(403, { message: 'viewers cannot change alerts' })
  }
  if (typeof status !== 'string' || !(alertStatuses as readonly string[]).includes(status)) {
    throw new HTTPException(400, { message: `status must be one of ${alertStatuses.join(', ')}` })
  }
  const [row] = await db
    .update(alerts)
    .set({ status: status as AlertStatus })
    .where(and(eq(alerts.id, id), tenantScope(db, principal, alerts.tenantId)))
    .returning({ id: alerts.id, tenantId: alerts.tenantId, status: alerts.status })
  if (!row) throw new HTTPException(404, { message: 'alert not found' })
  await audit(db, {
    action: 'alert.status',
    actorUserId: principal.userId,
    tenantId: row.tenantId,
    target: `alert:${id}`,
    detail: { status },
    ip,
  })
  return row
}
