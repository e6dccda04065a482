import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '../../test/fixtures.ts'
import { auditLog } from '../db/schema.ts'
import { NOTIFY_DLQ, NOTIFY_QUEUE, queue } from './consume.ts'

describe('notify queue consumer', () => {
  it('records each new alert as raised and acknowledges the message', async () => {
    const batch = createMessageBatch(NOTIFY_QUEUE, [
      {
        id: 'm1',
        timestamp: new Date(),
        attempts: 1,
        body: { kind: 'alerts.new', alerts: [{ id: 901, tenantId: 'ten_q' }] },
      },
    ])
    const ctx = createExecutionContext()
    await queue(batch, env)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual(['m1'])
    const rows = await db().select().from(auditLog).where(eq(auditLog.target, 'alert:901'))
    expect(rows.map((r) => [r.action, r.tenantId])).toEqual([['alert.raised', 'ten_q']])
  })

  it('records dead letters as undeliverable', async () => {
    const batch = createMessageBatch(NOTIFY_DLQ, [
      {
        id: 'm2',
        timestamp: new Date(),
        attempts: 6,
        body: { kind: 'alerts.new', alerts: [{ id: 902, tenantId: 'ten_q' }] },
      },
    ])
    await queue(batch, env)
    const rows = await db().select().from(auditLog).where(eq(auditLog.target, 'alert:902'))
    expect(rows.map((r) => r.action)).toEqual(['alert.notify.undeliverable'])
  })

  it('acknowledges and drops a message of unknown shape instead of retrying it forever', async () => {
    const batch = createMessageBatch(NOTIFY_QUEUE, [
      { id: 'm3', timestamp: new Date(), attempts: 1, body: { kind: 'something else' } },
    ])
    const ctx = createExecutionContext()
    await queue(batch, env)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['m3'])
  })
})
