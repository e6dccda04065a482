import { env } from 'cloudflare:test'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer } from '../../test/fixtures.ts'
import { heartbeat } from '../../test/http.ts'
import { alerts, sensors, tenants } from '../db/schema.ts'

describe('POST /v1/heartbeat', () => {
  it('keeps the latest health in D1 and a per-minute history in the hub', async () => {
    const { sensor } = await makeCustomer()
    const health = {
      agent_version: '0.2.0',
      pack_version: 'p1',
      pps: 1200,
      bps: 8e6,
      endpoints_24h: 40,
    }
    const res = await heartbeat(health, { token: sensor.token, boot: 'hb', seq: 0 })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ status: 'accepted', alerts: 0 })
    const row = await db().select().from(sensors).where(eq(sensors.id, sensor.id)).get()
    expect(row?.status).toBe('online')
    expect(row?.health).toMatchObject(health)
    await heartbeat({ ...health, pps: 3000 }, { token: sensor.token, boot: 'hb', seq: 1 })
    const status = await env.SENSOR_HUB.get(env.SENSOR_HUB.idFromName(sensor.id)).status()
    expect(status.liveness.latest).toMatchObject({ pps: 3000 })
    expect(status.history.at(-1)).toMatchObject({ pps: 3000, bps: 8e6 })
    expect(status.history.reduce((n, m) => n + m.samples, 0)).toBe(2)
  })

  it('ignores a replayed or older heartbeat of the same boot', async () => {
    const { sensor } = await makeCustomer()
    await heartbeat({ agent_version: '1', pps: 5 }, { token: sensor.token, boot: 'r', seq: 3 })
    const replay = await heartbeat(
      { agent_version: '1', pps: 999 },
      { token: sensor.token, boot: 'r', seq: 3 },
    )
    expect(await replay.json()).toEqual({ status: 'stale', alerts: 0 })
    const row = await db().select().from(sensors).where(eq(sensors.id, sensor.id)).get()
    expect(row?.health).toMatchObject({ pps: 5 })
  })

  it('raises contract.endpoints against the tenant’s own limit', async () => {
    const { sensor, tenant } = await makeCustomer()
    await db().update(tenants).set({ endpointLimit: 50 }).where(eq(tenants.id, tenant.id))
    const res = await heartbeat(
      { agent_version: '1', endpoints_30d: 51 },
      { token: sensor.token, boot: 'e', seq: 0 },
    )
    expect(await res.json()).toEqual({ status: 'accepted', alerts: 1 })
    const rows = await db()
      .select()
      .from(alerts)
      .where(and(eq(alerts.tenantId, tenant.id), eq(alerts.class, 'contract.endpoints')))
    expect(rows).toHaveLength(1)
  })

  it('refuses bad credentials and bad bodies with a clear message', async () => {
    const { sensor } = await makeCustomer()
    expect((await heartbeat({ agent_version: '1' }, { token: 'sbs1.x.y' })).status).toBe(401)
    const bad = await heartbeat({ agent_version: '1', cpu: 'high' }, { token: sensor.token })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toEqual({ error: 'heartbeat: cpu must be a non-negative number' })
  })
})
