import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer } from '../../test/fixtures.ts'
import { heartbeat, ingest } from '../../test/http.ts'
import { dnsEvent, gzip, wireBatch } from '../../test/wire.ts'
import { markOfflineSensors } from '../cron/mark-offline-sensors.ts'
import { alerts, auditLog, sensors } from '../db/schema.ts'

const hubOf = (sensorId: string) => env.SENSOR_HUB.get(env.SENSOR_HUB.idFromName(sensorId))

/** Moves the last contact into the past, in the hub and in D1 alike, as if time had passed. */
async function silenceSince(sensorId: string, lastSeenAt: number) {
  await runInDurableObject(hubOf(sensorId), (_hub, state) => {
    state.storage.sql.exec(
      "UPDATE state SET value = ? WHERE key = 'lastSeenAt'",
      String(lastSeenAt),
    )
  })
  await db().update(sensors).set({ lastSeenAt }).where(eq(sensors.id, sensorId))
}

async function offlineAlerts(tenantId: string) {
  return db()
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenantId), eq(alerts.class, 'device.offline')))
}

describe('SensorHub', () => {
  it('acknowledges only the contiguous prefix and reports the gaps', async () => {
    const { sensor } = await makeCustomer()
    const send = async (seq: number) => {
      const res = await ingest(await gzip(wireBatch([dnsEvent(`s${seq}.example`)])), {
        token: sensor.token,
        boot: 'gap',
        seq,
      })
      return (await res.json()) as { ack: number; gaps: number[] }
    }
    expect(await send(0)).toMatchObject({ ack: 0, gaps: [] })
    expect(await send(2)).toMatchObject({ ack: 0, gaps: [1] })
    expect(await send(3)).toMatchObject({ ack: 0, gaps: [1] })
    expect(await send(1)).toMatchObject({ ack: 3, gaps: [] })
    // A new boot starts its own sequence; the old boot's ledger is kept for late retries.
    const other = await ingest(await gzip(wireBatch([])), {
      token: sensor.token,
      boot: 'gap2',
      seq: 0,
    })
    expect(await other.json()).toMatchObject({ ack: 0, duplicate: false })
    const late = await ingest(await gzip(wireBatch([])), {
      token: sensor.token,
      boot: 'gap',
      seq: 2,
    })
    expect(await late.json()).toMatchObject({ ack: 3, duplicate: true })
  })

  it('marks a silent sensor offline by alarm with one device.offline alert, and online on return', async () => {
    const { sensor, tenant } = await makeCustomer()
    await ingest(await gzip(wireBatch([])), { token: sensor.token, boot: 'live', seq: 0 })
    const hub = hubOf(sensor.id)
    const before = await runInDurableObject(hub, (_h, state) => state.storage.getAlarm())
    expect(before).toBeGreaterThan(Date.now())

    await silenceSince(sensor.id, Date.now() - 10 * 60_000)
    expect(await runDurableObjectAlarm(hub)).toBe(true)
    const row = await db().select().from(sensors).where(eq(sensors.id, sensor.id)).get()
    expect(row?.status).toBe('offline')
    expect(await offlineAlerts(tenant.id)).toHaveLength(1)
    // The cron backstop finds nothing more to do for this outage.
    await markOfflineSensors(env, db())
    expect(await offlineAlerts(tenant.id)).toHaveLength(1)

    const hb = await heartbeat(
      { agent_version: '0.1.0', pps: 10 },
      { token: sensor.token, boot: 'live', seq: 0 },
    )
    expect(hb.status).toBe(200)
    const back = await db().select().from(sensors).where(eq(sensors.id, sensor.id)).get()
    expect(back?.status).toBe('online')
    const audited = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `sensor:${sensor.id}`))
    expect(audited.map((r) => r.action)).toEqual(['sensor.online'])
  })

  it('makes one alert per outage when the cron gets there before the alarm', async () => {
    const { sensor, tenant } = await makeCustomer()
    await ingest(await gzip(wireBatch([])), { token: sensor.token, boot: 'race', seq: 0 })
    await silenceSince(sensor.id, Date.now() - 10 * 60_000)
    await markOfflineSensors(env, db())
    expect(await runDurableObjectAlarm(hubOf(sensor.id))).toBe(true)
    expect(await offlineAlerts(tenant.id)).toHaveLength(1)
  })

  it('re-arms instead of raising when the alarm fires before the sensor is overdue', async () => {
    const { sensor, tenant } = await makeCustomer()
    await ingest(await gzip(wireBatch([])), { token: sensor.token, boot: 'early', seq: 0 })
    expect(await runDurableObjectAlarm(hubOf(sensor.id))).toBe(true)
    expect(await offlineAlerts(tenant.id)).toHaveLength(0)
    const next = await runInDurableObject(hubOf(sensor.id), (_h, state) => state.storage.getAlarm())
    expect(next).toBeGreaterThan(Date.now())
  })

  it('turns away a flood beyond its queue and loses nothing once the agent retries', async () => {
    const { sensor, tenant } = await makeCustomer()
    const hub = hubOf(sensor.id)
    const ref = { id: sensor.id, tenantId: tenant.id, name: 'flood' }
    const batch = async (seq: number) => {
      const event = dnsEvent(`f${seq}.onion.to`, {
        intelList: 'maltrail.onion',
        indicator: 'onion.to',
      })
      return {
        sensor: ref,
        boot: 'flood',
        seq,
        events: [{ kind: 'dns', ...event }],
        wire: await gzip(wireBatch([event])),
      }
    }
    const inputs = await Promise.all(Array.from({ length: 24 }, (_, seq) => batch(seq)))
    // All calls leave before any answer: the hub holds one in progress plus its queue.
    const first = await Promise.all(inputs.map((input) => hub.accept(input)))
    const refused = first.flatMap((r, seq) => (r.status === 'overloaded' ? [seq] : []))
    expect(refused.length).toBeGreaterThan(0)
    let last: unknown
    for (const seq of refused) last = await hub.accept(inputs[seq] as (typeof inputs)[number])
    expect(last).toMatchObject({ status: 'accepted', ack: 23, gaps: [] })
    const stored = await db().select().from(alerts).where(eq(alerts.tenantId, tenant.id))
    expect(stored).toHaveLength(24)
  })

  it('answers 503 with Retry-After when the hub cannot take a batch', async () => {
    const { sensor } = await makeCustomer()
    // Far past the last acknowledged seq: the hub refuses to hold that many out of order.
    const res = await ingest(await gzip(wireBatch([])), {
      token: sensor.token,
      boot: 'ahead',
      seq: 5000,
    })
    expect(res.status).toBe(503)
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/)
    expect(((await res.json()) as { error: string }).error).toContain('overloaded')
  })

  it('keeps correlation state per sensor across batches', async () => {
    const { sensor, tenant } = await makeCustomer()
    const other = await makeCustomer()
    const start = Date.now() - 30_000
    const lookups = (from: number) =>
      Array.from({ length: 60 }, (_, i) =>
        dnsEvent(`q${from + i}.tunnel.example`, {
          ts: start + (from + i) * 100,
          srcIp: '10.0.0.8',
        }),
      )
    const c2 = async (tenantId: string) =>
      db()
        .select()
        .from(alerts)
        .where(and(eq(alerts.tenantId, tenantId), eq(alerts.rule, 'SB-C2-0001')))
    await ingest(await gzip(wireBatch(lookups(0))), { token: sensor.token, boot: 'c2', seq: 0 })
    expect(await c2(tenant.id)).toHaveLength(0)
    await ingest(await gzip(wireBatch(lookups(60))), { token: sensor.token, boot: 'c2', seq: 1 })
    const found = await c2(tenant.id)
    expect(found).toHaveLength(1)
    expect(found[0]?.evidence).toMatchObject({ correlation: { values: expect.any(Object) } })
    // Another sensor that saw only the second half has no such finding.
    await ingest(await gzip(wireBatch(lookups(60))), {
      token: other.sensor.token,
      boot: 'c2',
      seq: 0,
    })
    expect(await c2(other.tenant.id)).toHaveLength(0)
  })
})
