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

  it('routes alerts the edge raised itself by the default policy, and keeps routes it is given', async () => {
    const sent: unknown[] = []
    const capture = {
      NOTIFY: { send: async (m: unknown) => void sent.push(m) } as unknown as Queue,
    }
    const rows = [
      {
        id: 7010,
        tenantId: 'ten_n',
        dedupKey: 'k1',
        rule: 'EDGE-DEVICE-OFFLINE',
        class: 'device.offline',
        severity: 'high' as const,
      },
      {
        id: 7011,
        tenantId: 'ten_n',
        dedupKey: 'k2',
        rule: 'SB-TOR-0001',
        class: 'suspicious.tor',
        severity: 'medium' as const,
      },
      { id: 7012, tenantId: 'ten_n' },
    ]
    expect(await enqueueNewAlerts(capture, db(), rows, new Map([['k2', ['custom']]]))).toBe(true)
    expect(sent).toEqual([
      {
        kind: 'alerts.new',
        alerts: [
          { id: 7010, tenantId: 'ten_n', routes: ['immediate', 'operations'] },
          { id: 7011, tenantId: 'ten_n', routes: ['custom'] },
          { id: 7012, tenantId: 'ten_n', routes: [] },
        ],
      },
    ])
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
