/**
 * What ingest puts on the `socbox-notify` queue: the alerts that were new for their tenant, each
 * with the notification channels the alert policy routed it to (none: stored only). Messages
 * queued before routes existed have none and are still valid.
 */
export type NotifyMessage = {
  kind: 'alerts.new'
  alerts: { id: number; tenantId: string; routes?: string[] }[]
}

export function isNotifyMessage(body: unknown): body is NotifyMessage {
  if (typeof body !== 'object' || body === null) return false
  const m = body as Partial<NotifyMessage>
  return (
    m.kind === 'alerts.new' &&
    Array.isArray(m.alerts) &&
    m.alerts.every(
      (a) =>
        Number.isSafeInteger(a?.id) &&
        typeof a?.tenantId === 'string' &&
        (a.routes === undefined ||
          (Array.isArray(a.routes) && a.routes.every((r) => typeof r === 'string'))),
    )
  )
}
