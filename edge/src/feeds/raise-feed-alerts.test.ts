import { createScheduledController, env } from 'cloudflare:test'
import { compilePack, compilePolicy, intelListsFrom } from '@socbox/dsl'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer } from '../../test/fixtures.ts'
import { scheduled } from '../cron/scheduled.ts'
import { alerts, sensors } from '../db/schema.ts'
import type { NotifyMessage } from '../queue/notify-message.ts'
import type { FeedStatusReport } from './feed-alerts.ts'
import { raiseFeedAlerts } from './raise-feed-alerts.ts'

const HOUR = 3_600_000
const built = Date.parse('2026-11-27T00:00:00.000Z')

// Tor relays: published every 24 h, stale after 48 h. Feodo: the last download failed.
function report(torDataTime: number, feodoError?: string): FeedStatusReport {
  return {
    v: 1,
    builtAt: new Date(built).toISOString(),
    schedules: [
      { id: 'tor-nodes', title: 'Tor relays', updateIntervalHours: 24 },
      { id: 'abusech-feodo', title: 'Feodo Tracker', updateIntervalHours: 1, staleAfterHours: 1e6 },
    ],
    statuses: [
      { feed: 'tor-nodes', dataTime: torDataTime, lastLoad: { at: built } },
      {
        feed: 'abusech-feodo',
        dataTime: built,
        lastLoad: feodoError ? { at: built, error: feodoError } : { at: built },
      },
    ],
  }
}

async function online(sensorId: string) {
  await db()
    .update(sensors)
    .set({ status: 'online', lastSeenAt: Date.now() })
    .where(eq(sensors.id, sensorId))
}

async function feedAlertsOf(tenantId: string) {
  return db()
    .select()
    .from(alerts)
    .where(and(eq(alerts.tenantId, tenantId), eq(alerts.class, 'intel.feed')))
}

describe('raiseFeedAlerts (cron)', () => {
  it('raises one intel.feed alert per tenant for a stale feed, and not again while nothing changes', async () => {
    const a = await makeCustomer('feeds-a')
    const b = await makeCustomer('feeds-b')
    const pending = await makeCustomer('feeds-pending')
    await online(a.sensor.id)
    await online(b.sensor.id)
    const now = built + 60 * HOUR
    const status = report(built - 12 * HOUR)

    await raiseFeedAlerts(env, db(), now, status)
    for (const tenant of [a.tenant, b.tenant]) {
      const rows = await feedAlertsOf(tenant.id)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({
        class: 'intel.feed',
        severity: 'low',
        rule: 'EDGE-INTEL-FEED',
      })
      expect(rows[0]?.title.en).toBe('Threat list "Tor relays" is out of date')
      expect(rows[0]?.title.ja).toContain('古くなっています')
      expect(rows[0]?.explain.ja).toContain('JST')
      expect(rows[0]?.actions.en.length).toBe(rows[0]?.actions.ja.length)
    }
    // A tenant whose sensor never reported runs no pack yet: nothing to tell it.
    expect(await feedAlertsOf(pending.tenant.id)).toHaveLength(0)

    // The next cron tick: same finding, no new rows.
    await raiseFeedAlerts(env, db(), now + 5 * 60_000, status)
    expect(await feedAlertsOf(a.tenant.id)).toHaveLength(1)

    // Far past its schedule the same stale data is worse: one more alert, now medium.
    await raiseFeedAlerts(env, db(), built + 200 * HOUR, status)
    const later = await feedAlertsOf(a.tenant.id)
    expect(later.map((r) => r.severity).sort()).toEqual(['low', 'medium'])
  })

  it('raises nothing while every feed is fresh and loaded', async () => {
    const a = await makeCustomer('feeds-fresh')
    await online(a.sensor.id)
    await raiseFeedAlerts(env, db(), built + HOUR, report(built - HOUR))
    expect(await feedAlertsOf(a.tenant.id)).toHaveLength(0)
  })

  it('raises a failing-feed alert that names the error', async () => {
    const a = await makeCustomer('feeds-failing')
    await online(a.sensor.id)
    await raiseFeedAlerts(
      env,
      db(),
      built + HOUR,
      report(built - HOUR, 'download failed: HTTP 503'),
    )
    const rows = await feedAlertsOf(a.tenant.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]?.severity).toBe('medium')
    expect(rows[0]?.title.en).toBe('Threat list "Feodo Tracker" could not be updated')
    expect(rows[0]?.explain.en).toContain('HTTP 503')
  })

  it('goes through the alert policy: an exception silences it for one tenant, routes apply', async () => {
    const quiet = await makeCustomer('feeds-policy-quiet')
    const loud = await makeCustomer('feeds-policy-loud')
    await online(quiet.sensor.id)
    await online(loud.sensor.id)
    const { pack, diagnostics } = compilePack(
      [
        {
          path: 'ops.soc',
          text: `policy "ops" version 1 {
  except "own-feeds" owner "soc@example.jp" reason "this customer runs its own threat lists" expires 2099-12-31
    when class == "intel.feed" and tenant == "${quiet.tenant.id}"
  route "threat-intel" when class == "intel.feed"
}
`,
        },
      ],
      intelListsFrom([]),
    )
    expect(diagnostics).toEqual([])
    if (!pack?.policies?.[0]) throw new Error('no policy')
    const policy = compilePolicy(pack.policies[0], pack.variables)
    const sent: NotifyMessage[] = []
    const queue = { NOTIFY: { send: async (m: NotifyMessage) => void sent.push(m) } }
    await raiseFeedAlerts(
      queue as never,
      db(),
      built + HOUR,
      report(built - HOUR, 'HTTP 503'),
      policy,
    )
    expect(await feedAlertsOf(quiet.tenant.id)).toHaveLength(0)
    const rows = await feedAlertsOf(loud.tenant.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]?.evidence).toMatchObject({ policy: { id: 'ops' } })
    const mine = sent.flatMap((m) => m.alerts).filter((a) => a.tenantId === loud.tenant.id)
    expect(mine).toEqual([{ id: rows[0]?.id, tenantId: loud.tenant.id, routes: ['threat-intel'] }])
  })

  it('runs from the scheduled handler with the status the bundled pack was built with', async () => {
    const a = await makeCustomer('feeds-cron')
    await online(a.sensor.id)
    // The shared snapshot's feeds are months to years old: the real status is stale.
    await scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }),
      env,
    )
    const rows = await feedAlertsOf(a.tenant.id)
    expect(rows.length).toBeGreaterThan(0)
    expect(new Set(rows.map((r) => r.sensorId))).toEqual(new Set([a.sensor.id]))
  })
})
