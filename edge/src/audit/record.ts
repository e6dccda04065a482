/** Appends to the audit log. Callers pass what happened; the time and the client IP are added. */
import type { Database } from '../db/client.ts'
import { auditLog } from '../db/schema.ts'

export type AuditEntry = {
  action: string
  actorUserId?: string | null
  tenantId?: string | null
  target?: string | null
  detail?: Record<string, unknown> | null
  ip?: string | null
}

export function auditInsert(db: Database, entry: AuditEntry, now = Date.now()) {
  return db.insert(auditLog).values({
    at: now,
    action: entry.action,
    actorUserId: entry.actorUserId ?? null,
    tenantId: entry.tenantId ?? null,
    target: entry.target ?? null,
    detail: entry.detail ?? null,
    ip: entry.ip ?? null,
  })
}

export async function audit(db: Database, entry: AuditEntry, now = Date.now()) {
  await auditInsert(db, entry, now)
}

/** The client address as Cloudflare reports it (absent in some local test requests). */
export function clientIp(headers: Headers): string | undefined {
  return headers.get('CF-Connecting-IP') ?? undefined
}
