/**
 * Reading and changing a tenant's settings on behalf of a principal.
 *
 * Who may do what (stated in edge/README.md): a customer admin edits its own tenant; a partner
 * admin edits the tenants of its partner; customer viewers and the provider's analysts read
 * only (the thresholds are part of the customer's contract, which the provider's SOC does not
 * change). A tenant outside the principal's scope is "not found", never "forbidden", so ids of
 * other customers cannot be probed. Every change is audit-logged with the values before and after.
 */
import { and, eq } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { auditInsert } from '../audit/record.ts'
import type { Principal } from '../auth/principal.ts'
import { tenantScope } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { tenants } from '../db/schema.ts'
import { fromRow, type TenantSettings, toRow } from './tenant-settings.ts'

export function canEditSettings(principal: Principal): boolean {
  return principal.role === 'customer_admin' || principal.role === 'partner_admin'
}

const columns = {
  id: tenants.id,
  name: tenants.name,
  bandwidthLimitBps: tenants.bandwidthLimitBps,
  bandwidthSustainedS: tenants.bandwidthSustainedS,
  endpointLimit: tenants.endpointLimit,
  dropRateLimit: tenants.dropRateLimit,
  offlineMissedHeartbeats: tenants.offlineMissedHeartbeats,
}

export type TenantWithSettings = { id: string; name: string; settings: TenantSettings }

/** The tenants whose settings the principal may see, with their settings. */
export async function listTenantSettings(
  db: Database,
  principal: Principal,
): Promise<TenantWithSettings[]> {
  const rows = await db
    .select(columns)
    .from(tenants)
    .where(tenantScope(db, principal, tenants.id))
    .orderBy(tenants.name)
  return rows.map((r) => ({ id: r.id, name: r.name, settings: fromRow(r) }))
}

export async function tenantSettings(
  db: Database,
  principal: Principal,
  tenantId: string,
): Promise<TenantWithSettings> {
  const scope = tenantScope(db, principal, tenants.id)
  const row = await db
    .select(columns)
    .from(tenants)
    .where(scope ? and(eq(tenants.id, tenantId), scope) : eq(tenants.id, tenantId))
    .get()
  if (!row) throw new HTTPException(404, { message: 'tenant not found' })
  return { id: row.id, name: row.name, settings: fromRow(row) }
}

/** Saves validated settings; 404 outside the principal's scope, 403 for read-only roles. */
export async function saveTenantSettings(
  db: Database,
  principal: Principal,
  tenantId: string,
  next: TenantSettings,
  ip: string | null,
): Promise<TenantWithSettings> {
  const current = await tenantSettings(db, principal, tenantId)
  if (!canEditSettings(principal)) {
    throw new HTTPException(403, {
      message: 'your role can read these settings but not change them; ask a customer admin',
    })
  }
  await db.batch([
    db.update(tenants).set(toRow(next)).where(eq(tenants.id, tenantId)),
    auditInsert(db, {
      action: 'tenant.settings',
      actorUserId: principal.userId,
      tenantId,
      target: `tenant:${tenantId}`,
      detail: { before: current.settings, after: next },
      ip,
    }),
  ])
  return { ...current, settings: next }
}
