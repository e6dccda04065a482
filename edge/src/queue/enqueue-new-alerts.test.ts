import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db } from '../../test/fixtures.ts'
import { auditLog } from '../db/schema.ts'
import { enqueueNewAlerts } from './enqueue-new-alerts.ts'

describe('enqueueNewAlerts', () => {
  it('sends new alerts to the notify queue', async () => {
    expect(await enqueueNewAlerts(env, db(), [{ id: 7001, tenantId: 'ten_n' }])).toBe(true)
  })

  it('records a failed send in the audit log instead of failing the batch', async () => {
    const broken = {
      NOTIFY: {
        send: async () => {
          throw new Error('queue unavailable')
        },
      } as unknown as Queue,
    }
    expect(await enqueueNewAlerts(broken, db(), [{ id: 7002, tenantId: 'ten_n' }])).toBe(false)
    const rows = await db().select().from(auditLog).where(eq(auditLog.target, 'alert:7002'))
    expect(rows.map((r) => [r.action, r.detail])).toEqual([
      ['alert.notify.enqueue_failed', { error: 'queue unavailable' }],
    ])
  })
})
