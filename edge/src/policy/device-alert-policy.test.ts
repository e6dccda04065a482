/**
 * The edge's own alerts about sensors (offline, drops, contract limits) pass through the alert
 * policy like the rules' alerts: the default policy routes them to `operations`; a policy's
 * exception silences one sensor, its severity lines and dedup apply, a route can name a tenant;
 * the policy's memory for them is kept in D1 with the alerts, and the heartbeat route and the
 * offline paths use it.
 */
import { compilePack, compilePolicy, intelListsFrom } from '@socbox/dsl'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer, makePartner, makeSensor, makeTenant } from '../../test/fixtures.ts'
import { heartbeat } from '../../test/http.ts'
import { deviceOfflineAlert } from '../alerts/device-alerts.ts'
import { raiseOffline } from '../alerts/raise-offline.ts'
import { alerts, sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { healthAlerts } from '../health/health-alerts.ts'
import type { NotifyMessage } from '../queue/notify-message.ts'
import { raiseDeviceAlerts } from './device-alert-policy.ts'
import { devicePolicyState } from './tables.ts'

const T0 = Date.parse('2026-11-27T09:00:00+09:00')
const HOUR = 3_600_000
const LIMITS = { bandwidthLimitBps: 1e9, endpointLimit: 1000, dropRateLimit: 0.05 }
const DROPPING = { agent_version: '1', packets: 9000, drops_kernel: 1000 }

function queue() {
  const sent: NotifyMessage[] = []
  const env = { NOTIFY: { send: async (m: NotifyMessage) => void sent.push(m) } }
  return { env: env as unknown as Env, sent }
}

async function sensorIn(tenantId: string, name: string) {
  const s = await makeSensor(tenantId, name)
  return { id: s.id, tenantId, name }
}

const rowsOf = (sensorId: string) =>
  db().select().from(alerts).where(eq(alerts.sensorId, sensorId)).orderBy(alerts.id)

function policyFrom(source: string) {
  const { pack, diagnostics } = compilePack([{ path: 'ops.soc', text: source }], intelListsFrom([]))
  expect(diagnostics).toEqual([])
  if (!pack?.policies?.[0]) throw new Error('no policy')
  return compilePolicy(pack.policies[0], pack.variables)
}

describe('device alerts under the default policy', () => {
  it('are stored with the policy noted and routed to operations', async () => {
    const partner = await makePartner()
    const tenant = await makeTenant(partner.id)
    const sensor = await sensorIn(tenant.id, 'hq')
    const { env, sent } = queue()
    const drops = healthAlerts(sensor, DROPPING, LIMITS, { overBandwidthSince: null }, T0).alerts
    const offline = deviceOfflineAlert(sensor, T0 - HOUR, T0)
    const out = await raiseDeviceAlerts(env, db(), sensor, [...drops, offline], T0)
    expect(out.stored).toHaveLength(2)
    const rows = await rowsOf(sensor.id)
    expect(rows.map((r) => [r.class, r.severity])).toEqual([
      ['device.drops', 'medium'],
      ['device.offline', 'high'],
    ])
    expect(rows[0]?.evidence).toMatchObject({ policy: { id: 'default', version: 1 } })
    // The alert keeps the key the edge gave it (one outage, one row).
    expect(rows[1]?.dedupKey).toBe(offline.key)
    const routes = Object.fromEntries(
      (sent[0]?.alerts ?? []).map((a) => [rows.find((r) => r.id === a.id)?.class, a.routes]),
    )
    expect(routes).toEqual({
      'device.drops': ['digest', 'operations'],
      'device.offline': ['immediate', 'operations'],
    })
    const [state] = await db()
      .select()
      .from(devicePolicyState)
      .where(eq(devicePolicyState.sensorId, sensor.id))
    expect(state).toMatchObject({ tenantId: tenant.id, policy: 'default@1' })
    expect(JSON.parse(state?.state ?? '{}').totals).toMatchObject({ stored: 2 })

    // The same drops again within the hour: a repeat under the default policy's dedup 1h.
    const again = await raiseDeviceAlerts(env, db(), sensor, drops, T0 + 60_000)
    expect(again.stored).toEqual([])
    expect(again.suppressed).toEqual([
      {
        class: 'device.drops',
        reason: 'dedup',
        name: expect.stringContaining(drops[0]?.key ?? '?'),
      },
    ])
  })

  it('from the heartbeat route: stored with the policy note and its memory kept in D1', async () => {
    const c = await makeCustomer('DevPolicy')
    const res = await heartbeat(DROPPING, { token: c.sensor.token, boot: 'dp', seq: 0 })
    expect(await res.json()).toEqual({ status: 'accepted', alerts: 1 })
    const [row] = await rowsOf(c.sensor.id)
    expect(row).toMatchObject({ class: 'device.drops', severity: 'medium' })
    expect(row?.evidence).toMatchObject({ policy: { id: 'default' } })
    const [state] = await db()
      .select()
      .from(devicePolicyState)
      .where(eq(devicePolicyState.sensorId, c.sensor.id))
    expect(state?.policy).toBe('default@1')
    // A quiet heartbeat after it is fine and raises nothing.
    const quiet = await heartbeat(
      { agent_version: '1', packets: 9000 },
      { token: c.sensor.token, boot: 'dp', seq: 1 },
    )
    expect(await quiet.json()).toEqual({ status: 'accepted', alerts: 0 })
  })
})

describe('a policy tunes and routes device alerts', () => {
  it('an exception silences one sensor’s offline alert; severity, dedup and tenant routes apply', async () => {
    const partner = await makePartner()
    const tenantA = await makeTenant(partner.id, 'Customer DevA')
    const tenantB = await makeTenant(partner.id, 'Customer DevB')
    const moving = await sensorIn(tenantA.id, 'hq-moving')
    const steady = await sensorIn(tenantA.id, 'branch')
    const elsewhere = await sensorIn(tenantB.id, 'tokyo')
    const policy = policyFrom(`policy "ops" version 3 {
  except "hq-rack-move" owner "netops@example.jp" reason "HQ sensor moves to the new rack this week" expires 2099-12-31
    when class == "device.offline" and sensor == "${moving.id}"
  raise severity to critical when class == "contract.endpoints"
  dedup 6h by sensor, class when starts_with(class, "device.")
  route operations when starts_with(class, "device.") or starts_with(class, "contract.")
  route "partner-noc" when tenant == "${tenantB.id}"
  route immediate when severity >= high
}
`)
    for (const s of [moving, steady, elsewhere]) {
      await db()
        .update(sensors)
        .set({ status: 'online', lastSeenAt: T0 - HOUR })
        .where(eq(sensors.id, s.id))
    }
    const { env, sent } = queue()
    const stale = [moving, steady, elsewhere].map((s) => ({ ...s, lastSeenAt: T0 - HOUR }))
    const stored = await raiseOffline(env, db(), stale, T0, policy)
    expect(stored).toHaveLength(2)
    // Excepted: no alert, but the sensor is offline all the same.
    expect(await rowsOf(moving.id)).toEqual([])
    const status = await db().select().from(sensors).where(eq(sensors.id, moving.id)).get()
    expect(status?.status).toBe('offline')
    expect((await rowsOf(steady.id)).map((r) => r.class)).toEqual(['device.offline'])
    const routes = sent.flatMap((m) => m.alerts).map((a) => [a.tenantId, a.routes])
    expect(routes).toEqual([
      [tenantA.id, ['operations', 'immediate']],
      [tenantB.id, ['operations', 'partner-noc', 'immediate']],
    ])
    const [state] = await db()
      .select()
      .from(devicePolicyState)
      .where(eq(devicePolicyState.sensorId, moving.id))
    expect(JSON.parse(state?.state ?? '{}').totals.exceptions).toEqual({ 'hq-rack-move': 1 })

    // Contract alert: raised to critical, the rule's severity kept in the evidence.
    const crowded = { agent_version: '1', endpoints_30d: 1500 }
    const endpoints = healthAlerts(steady, crowded, LIMITS, { overBandwidthSince: null }, T0)
    await raiseDeviceAlerts(env, db(), steady, endpoints.alerts, T0, [], policy)
    const contract = (await rowsOf(steady.id)).find((r) => r.class === 'contract.endpoints')
    expect(contract?.severity).toBe('critical')
    expect(contract?.evidence).toMatchObject({ policy: { id: 'ops', ruleSeverity: 'low' } })

    // Drops every hour: one alert per 6 h for the sensor (dedup by sensor and class).
    const hourly = [0, 1, 2, 7].map(
      (h) =>
        healthAlerts(steady, DROPPING, LIMITS, { overBandwidthSince: null }, T0 + h * HOUR).alerts,
    )
    const counts = []
    for (const [i, found] of hourly.entries()) {
      const h = [0, 1, 2, 7][i] as number
      counts.push(
        (await raiseDeviceAlerts(env, db(), steady, found, T0 + h * HOUR, [], policy)).stored
          .length,
      )
    }
    expect(counts).toEqual([1, 0, 0, 1])
    const drops = await db()
      .select()
      .from(alerts)
      .where(and(eq(alerts.sensorId, steady.id), eq(alerts.class, 'device.drops')))
    expect(drops).toHaveLength(2)
  })
})
