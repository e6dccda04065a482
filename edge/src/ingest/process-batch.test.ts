/**
 * The alert policy on the ingest path, inside workerd against the test D1: final severity in
 * the stored row, routes on the notify message, dedup across batches and across a restart of the
 * sensor's engine (policy memory in D1), exceptions until they expire, site settings per tenant,
 * and a rate limit's overflow stored as one digest alert.
 */
import { compilePack, compilePolicy, intelListsFrom, type SocEvent } from '@socbox/dsl'
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makePartner, makeSensor, makeTenant } from '../../test/fixtures.ts'
import { alerts } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { policyState, tenantSiteSettings } from '../policy/tables.ts'
import type { NotifyMessage } from '../queue/notify-message.ts'
import { newEngine } from './engine.ts'
import { processBatch } from './process-batch.ts'

const T0 = 1_700_000_000_000 // 2023-11-14T22:13:20Z
const HOUR = 3_600_000

function queue() {
  const sent: NotifyMessage[] = []
  const env = { NOTIFY: { send: async (m: NotifyMessage) => void sent.push(m) } }
  return { env: env as unknown as Env, sent }
}

async function sensorOf() {
  const partner = await makePartner()
  const tenant = await makeTenant(partner.id)
  const sensor = await makeSensor(tenant.id)
  return { id: sensor.id, tenantId: tenant.id }
}

function dns(query: string, ts: number, src = '10.0.0.5'): SocEvent {
  return {
    kind: 'dns',
    ts,
    flow: `1:${query}${ts}`,
    src: { ip: src, port: 50000, internal: true },
    dst: { ip: '8.8.8.8', port: 53, internal: false },
    query,
    qtype: 'A',
    hits: [{ list: 'maltrail.onion', field: 'query', indicator: 'onion.to' }],
  }
}

const rowsOf = (tenantId: string) =>
  db().select().from(alerts).where(eq(alerts.tenantId, tenantId)).orderBy(alerts.id)

describe('the default policy on the ingest path', () => {
  it('stores a finding once per dedup window, also after the engine restarts, and routes it', async () => {
    const sensor = await sensorOf()
    const { env, sent } = queue()
    const engine = newEngine()
    const first = await processBatch(env, db(), engine, sensor, [dns('a.onion.to', T0)])
    expect(first).toMatchObject({ alerts: 1, suppressed: 0 })
    const [row] = await rowsOf(sensor.tenantId)
    expect(row).toMatchObject({ rule: 'SB-TOR-0001', severity: 'medium' })
    expect(row?.dedupKey).toBe(
      `SB-TOR-0001|10.0.0.5|a.onion.to@${Math.floor(T0 / (24 * HOUR)) * 24 * HOUR}`,
    )
    expect(sent).toEqual([
      {
        kind: 'alerts.new',
        alerts: [{ id: row?.id, tenantId: sensor.tenantId, routes: ['digest'] }],
      },
    ])
    expect(row?.evidence).toMatchObject({ policy: { id: 'default', version: 1 } })

    // The same finding a minute later: a repeat, not a new alert.
    const again = await processBatch(env, db(), engine, sensor, [dns('a.onion.to', T0 + 60_000)])
    expect(again).toMatchObject({ alerts: 0, suppressed: 1 })
    // A new SensorHub (eviction, deploy) reads the policy memory back from D1.
    const [saved] = await db().select().from(policyState).where(eq(policyState.sensorId, sensor.id))
    expect(saved).toMatchObject({ tenantId: sensor.tenantId, policy: 'default@1' })
    const restarted = await processBatch(env, db(), newEngine(), sensor, [
      dns('a.onion.to', T0 + 120_000),
    ])
    expect(restarted).toMatchObject({ alerts: 0, suppressed: 1 })
    // A day later it is a new alert.
    const later = await processBatch(env, db(), newEngine(), sensor, [
      dns('a.onion.to', T0 + 25 * HOUR),
    ])
    expect(later).toMatchObject({ alerts: 1, suppressed: 0 })
    expect(await rowsOf(sensor.tenantId)).toHaveLength(2)
    expect(sent).toHaveLength(2)
  })
})

const RULE = `detection "SB-TEST-0001" version 1 {
  title { en "Tor2web lookup {query}" ja "Tor2web {query}" }
  class "suspicious.tor"
  severity medium
  on dns where query in intel("maltrail.onion")
  emit key [src.ip, query]
}
`
const POLICY = `variable $crown_jewels cidrs []

policy "default" version 1 {
  raise severity to critical when src.ip in $crown_jewels
  except "lab-resolver" owner "netops@example.jp" reason "lab resolver tests Tor2web blocking" expires 2023-11-20
    when src.ip in cidr("10.9.0.0/24")
  dedup 1h
  rate 2 per 1h
  route immediate when severity >= high
  route digest when severity <= medium
}
`

function testPolicy() {
  const lists = intelListsFrom([{ id: 'maltrail.onion', ioc: 'domain', entries: ['onion.to'] }])
  const { pack, diagnostics } = compilePack(
    [
      { path: 'rule.soc', text: RULE },
      { path: 'policy.soc', text: POLICY },
    ],
    lists,
  )
  expect(diagnostics).toEqual([])
  if (!pack?.policies?.[0]) throw new Error('no policy')
  return { engine: () => newEngine(pack), policy: compilePolicy(pack.policies[0], pack.variables) }
}

describe('a policy with exceptions, site variables and a rate limit on the ingest path', () => {
  it('suppresses by exception until it expires, then stores again', async () => {
    const sensor = await sensorOf()
    const { env } = queue()
    const { engine, policy } = testPolicy()
    const run = engine()
    const before = await processBatch(
      env,
      db(),
      run,
      sensor,
      [dns('x.onion.to', T0, '10.9.0.7')],
      T0,
      policy,
    )
    expect(before).toMatchObject({ alerts: 0, suppressed: 1 })
    // 2023-11-21 JST: the exception ended with 2023-11-20.
    const expired = Date.parse('2023-11-21T00:00:00+09:00')
    const after = await processBatch(
      env,
      db(),
      run,
      sensor,
      [dns('x.onion.to', expired, '10.9.0.7')],
      expired,
      policy,
    )
    expect(after).toMatchObject({ alerts: 1, suppressed: 0 })
    const [saved] = await db().select().from(policyState).where(eq(policyState.sensorId, sensor.id))
    expect(JSON.parse(saved?.state ?? '{}').totals).toMatchObject({
      exceptions: { 'lab-resolver': 1 },
      expired: { 'lab-resolver': 1 },
    })
  })

  it('raises severity for the tenant site settings and routes the final severity', async () => {
    const sensor = await sensorOf()
    await db()
      .insert(tenantSiteSettings)
      .values({
        tenantId: sensor.tenantId,
        settings: JSON.stringify({ crown_jewels: ['10.0.0.5'] }),
        updatedAt: T0,
      })
    const other = await sensorOf()
    const { env, sent } = queue()
    const { engine, policy } = testPolicy()
    await processBatch(env, db(), engine(), sensor, [dns('c.onion.to', T0)], T0, policy)
    await processBatch(env, db(), engine(), other, [dns('c.onion.to', T0)], T0, policy)
    const [mine] = await rowsOf(sensor.tenantId)
    const [theirs] = await rowsOf(other.tenantId)
    expect(mine?.severity).toBe('critical')
    expect(theirs?.severity).toBe('medium')
    expect(mine?.evidence).toMatchObject({ policy: { ruleSeverity: 'medium' } })
    expect(sent.map((m) => m.alerts[0]?.routes)).toEqual([['immediate'], ['digest']])
  })

  it('folds a flood into one digest alert that counts it, stored when the window closes', async () => {
    const sensor = await sensorOf()
    const { env, sent } = queue()
    const { engine, policy } = testPolicy()
    const run = engine()
    const flood = ['a', 'b', 'c', 'd', 'e'].map((q, i) => dns(`${q}.onion.to`, T0 + i * 1000))
    expect(await processBatch(env, db(), run, sensor, flood, T0, policy)).toMatchObject({
      alerts: 2,
      suppressed: 3,
      digests: 0,
    })
    // Any event an hour later moves event time past the window: the digest comes out.
    const quiet = { ...dns('example.org', T0 + HOUR + 5000), hits: [] }
    expect(await processBatch(env, db(), run, sensor, [quiet], T0, policy)).toMatchObject({
      alerts: 1,
      digests: 1,
    })
    const rows = await db()
      .select()
      .from(alerts)
      .where(and(eq(alerts.tenantId, sensor.tenantId), eq(alerts.rule, 'SB-TEST-0001')))
      .orderBy(alerts.id)
    expect(rows).toHaveLength(3)
    const digest = rows[2]
    expect(digest?.title.en).toBe(
      '3 more alert(s) of SB-TEST-0001 folded by the rate limit (2 per 1h)',
    )
    expect(digest?.evidence).toMatchObject({
      digest: {
        count: 3,
        keys: [
          'SB-TEST-0001|10.0.0.5|c.onion.to',
          'SB-TEST-0001|10.0.0.5|d.onion.to',
          'SB-TEST-0001|10.0.0.5|e.onion.to',
        ],
      },
    })
    expect(sent.at(-1)?.alerts).toEqual([
      { id: digest?.id, tenantId: sensor.tenantId, routes: ['digest'] },
    ])
  })
})

describe('routes by tenant on the ingest path', () => {
  it('a route conditioned on the tenant reaches that tenant’s alerts only', async () => {
    const mine = await sensorOf()
    const other = await sensorOf()
    const lists = intelListsFrom([{ id: 'maltrail.onion', ioc: 'domain', entries: ['onion.to'] }])
    const routed = `policy "default" version 1 {
  route digest when severity == medium
  route "partner-noc" when tenant == "${mine.tenantId}"
}
`
    const { pack, diagnostics } = compilePack(
      [
        { path: 'rule.soc', text: RULE },
        { path: 'policy.soc', text: routed },
      ],
      lists,
    )
    expect(diagnostics).toEqual([])
    if (!pack?.policies?.[0]) throw new Error('no policy')
    const policy = compilePolicy(pack.policies[0], pack.variables)
    const { env, sent } = queue()
    await processBatch(env, db(), newEngine(pack), mine, [dns('r.onion.to', T0)], T0, policy)
    await processBatch(env, db(), newEngine(pack), other, [dns('r.onion.to', T0)], T0, policy)
    expect(sent.map((m) => [m.alerts[0]?.tenantId, m.alerts[0]?.routes])).toEqual([
      [mine.tenantId, ['digest', 'partner-noc']],
      [other.tenantId, ['digest']],
    ])
  })
})
