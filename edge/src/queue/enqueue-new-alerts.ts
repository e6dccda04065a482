/**
 * Puts newly stored alerts on the notify queue. The alerts are already committed when this
 * runs, and a retried batch would find them existing and not notify again, so a failed send
 * must not fail the batch: it is recorded in the audit log instead (nothing vanishes silently)
 * and the caller goes on to acknowledge.
 */
import { auditInsert } from '../audit/record.ts'
import type { Database } from '../db/client.ts'
import type { Env } from '../env.ts'

export async function enqueueNewAlerts(
  env: Pick<Env, 'NOTIFY'>,
  db: Database,
  stored: { id: number; tenantId: string }[],
): Promise<boolean> {
  if (stored.length === 0) return true
  try {
    await env.NOTIFY.send({ kind: 'alerts.new', alerts: stored })
    return true
  } catch (err) {
    console.error('notify queue send failed', err)
    const [first, ...rest] = stored.map((a) =>
      auditInsert(db, {
        action: 'alert.notify.enqueue_failed',
        tenantId: a.tenantId,
        target: `alert:${a.id}`,
        detail: { error: err instanceof Error ? err.message : String(err) },
      }),
    )
    if (first) await db.batch([first, ...rest])
    return false
  }
}
