/**
 * Queue consumers. `socbox-notify` carries new alerts; each is recorded in its tenant's audit
 * log as raised (the channels, email, web push and partner webhooks, plug in here with the
 * notifications work). Messages that exhaust their retries land in `socbox-notify-dlq`, whose
 * consumer records them as undeliverable so nothing disappears silently.
 */
import { auditInsert } from '../audit/record.ts'
import { openDatabase } from '../db/client.ts'
import type { Env } from '../env.ts'
import { isNotifyMessage } from './notify-message.ts'

export const NOTIFY_QUEUE = 'socbox-notify'
export const NOTIFY_DLQ = 'socbox-notify-dlq'

export async function queue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = openDatabase(env.DB)
  const dead = batch.queue === NOTIFY_DLQ
  for (const message of batch.messages) {
    if (!isNotifyMessage(message.body)) {
      // A message of unknown shape can never succeed: retrying would only delay the DLQ.
      console.error(`queue ${batch.queue}: dropping malformed message ${message.id}`)
      message.ack()
      continue
    }
    const entries = message.body.alerts.map((a) =>
      auditInsert(db, {
        action: dead ? 'alert.notify.undeliverable' : 'alert.raised',
        tenantId: a.tenantId,
        target: `alert:${a.id}`,
        detail: { message: message.id, attempts: message.attempts },
      }),
    )
    const [first, ...rest] = entries
    if (first) await db.batch([first, ...rest])
    message.ack()
  }
}
