/**
 * Puts newly stored alerts on the notify queue, each with the channels the alert policy routes
 * it to: those the policy decided (ingest path, and the edge's own device and contract alerts),
 * or else the default policy's routes for the row's class and severity (feed health alerts).
 * The alerts are already committed when this
 * runs, and a retried batch would find them existing and not notify again, so a failed send
 * must not fail the batch: it is recorded in the audit log instead (nothing vanishes silently)
 * and the caller goes on to acknowledge.
 */
import type { StoredAlert } from '../alerts/store.ts'
import { auditInsert } from '../audit/record.ts'
import type { Database } from '../db/client.ts'
import type { Env } from '../env.ts'
import { defaultPolicy } from '../ingest/engine.ts'
import type { NotifyMessage } from './notify-message.ts'

export async function enqueueNewAlerts(
  env: Pick<Env, 'NOTIFY'>,
  db: Database,
  stored: StoredAlert[],
  /** Channels by stored dedup key, as the ingest path's policy decided them. */
  routes?: ReadonlyMap<string, string[]>,
): Promise<boolean> {
  if (stored.length === 0) return true
  const alerts: NotifyMessage['alerts'] = stored.map((row) => ({
    id: row.id,
    tenantId: row.tenantId,
    routes: (row.dedupKey === undefined ? undefined : routes?.get(row.dedupKey)) ?? routesOf(row),
  }))
  try {
    await env.NOTIFY.send({ kind: 'alerts.new', alerts })
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

function routesOf(row: StoredAlert): string[] {
  if (defaultPolicy === undefined || row.class === undefined || row.severity === undefined)
    return []
  return defaultPolicy.routes(
    {
      rule: row.rule ?? '',
      version: 1,
      class: row.class,
      severity: row.severity,
      ts: 0,
      key: row.dedupKey ?? '',
    },
    { tenant: row.tenantId, sensor: '' },
  )
}
