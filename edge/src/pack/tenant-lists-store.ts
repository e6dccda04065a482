/** Reading and replacing a tenant's indicator lists; same roles as its settings, audit-logged. */
import { asc, eq } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { auditInsert } from '../audit/record.ts'
import type { Principal } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { tenantIntelLists } from '../db/schema.ts'
import { canEditSettings } from '../settings/settings-store.ts'
import type { TenantList } from './tenant-lists.ts'

export async function tenantLists(db: Database, tenantId: string): Promise<TenantList[]> {
  const rows = await db
    .select()
    .from(tenantIntelLists)
    .where(eq(tenantIntelLists.tenantId, tenantId))
    .orderBy(asc(tenantIntelLists.name))
  return rows.map((r) => ({ name: r.name, ioc: r.ioc, entries: r.entries }))
}

/** Replaces the lists of a tenant the caller may see (checked by the caller). */
export async function saveTenantLists(
  db: Database,
  principal: Principal,
  tenantId: string,
  lists: TenantList[],
  ip: string | null,
): Promise<void> {
  if (!canEditSettings(principal)) {
    throw new HTTPException(403, {
      message: 'your role can read these lists but not change them; ask a customer admin',
    })
  }
  const now = Date.now()
  await db.batch([
    db.delete(tenantIntelLists).where(eq(tenantIntelLists.tenantId, tenantId)),
    ...lists.map((l) => db.insert(tenantIntelLists).values({ tenantId, ...l, updatedAt: now })),
    auditInsert(db, {
      action: 'tenant.intel-lists',
      actorUserId: principal.userId,
      tenantId,
      target: `tenant:${tenantId}`,
      detail: {
        lists: lists.map((l) => ({ name: l.name, ioc: l.ioc, entries: l.entries.length })),
      },
      ip,
    }),
  ])
}
