import { createScheduledController, env } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer, makeSensor } from '../../test/fixtures.ts'
import { alerts, sensors } from '../db/schema.ts'
import { markOfflineSensors } from './mark-offline-sensors.ts'
import { scheduled } from './scheduled.ts'

const MINUTE = 60_000

describe('markOfflineSensors (cron)', () => {
  it('marks a silent online sensor offline and raises one device.offline alert per outage', async () => {
    const a = await makeCustomer()
    const fresh = await makeSensor(a.tenant.id, 'fresh')
    const now = Date.now()
    await db()
      .update(sensors)
      .set({ status: 'online', lastSeenAt: now - 10 * MINUTE })
      .where(eq(sensors.id, a.sensor.id))
    await db()
      .update(sensors)
      .set({ status: 'online', lastSeenAt: now - MINUTE })
      .where(eq(sensors.id, fresh.id))

    const result = await markOfflineSensors(env, db(), now)
    expect(result.offline).toContain(a.sensor.id)
    expect(result.offline).not.toContain(fresh.id)
    const row = await db().select().from(sensors).where(eq(sensors.id, a.sensor.id)).get()
    expect(row?.status).toBe('offline')
    const raised = await db()
      .select()
      .from(alerts)
      .where(and(eq(alerts.tenantId, a.tenant.id), eq(alerts.class, 'device.offline')))
    expect(raised).toHaveLength(1)
    expect(raised[0]?.title.ja).toContain('停止')

    // The next run finds nothing new: the sensor is already offline.
    const again = await markOfflineSensors(env, db(), now + 5 * MINUTE)
    expect(again.offline).not.toContain(a.sensor.id)
  })

  it('leaves pending sensors (never seen) alone', async () => {
    const a = await makeCustomer()
    const result = await markOfflineSensors(env, db(), Date.now() + 60 * MINUTE)
    expect(result.offline).not.toContain(a.sensor.id)
  })

  it('runs from the scheduled handler with the rest of the housekeeping', async () => {
    const a = await makeCustomer()
    const now = Date.now()
    await db()
      .update(sensors)
      .set({ status: 'online', lastSeenAt: now - 10 * MINUTE })
      .where(eq(sensors.id, a.sensor.id))
    await scheduled(createScheduledController({ scheduledTime: now, cron: '*/5 * * * *' }), env)
    const row = await db().select().from(sensors).where(eq(sensors.id, a.sensor.id)).get()
    expect(row?.status).toBe('offline')
  })
})
