/** What ingest puts on the `socbox-notify` queue: the alerts that were new for their tenant. */
export type NotifyMessage = {
  kind: 'alerts.new'
  alerts: { id: number; tenantId: string }[]
}

export function isNotifyMessage(body: unknown): body is NotifyMessage {
  if (typeof body !== 'object' || body === null) return false
  const m = body as Partial<NotifyMessage>
  return (
    m.kind === 'alerts.new' &&
    Array.isArray(m.alerts) &&
    m.alerts.every((a) => Number.isSafeInteger(a?.id) && typeof a?.tenantId === 'string')
  )
}
