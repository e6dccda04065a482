import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeApiToken, makeCustomer } from '../../test/fixtures.ts'
import { call } from '../../test/http.ts'
import { type NewAlert, storeAlerts } from '../alerts/store.ts'
import { alerts, type Severity } from '../db/schema.ts'

function alert(tenantId: string, sensorId: string, i: number, severity: Severity): NewAlert {
  return {
    tenantId,
    sensorId,
    rule: 'SB-TEST-0002',
    ruleVersion: 1,
    class: i % 2 ? 'malware.c2' : 'recon.scan',
    severity,
    ts: 1_700_000_000_000 + i * 1000,
    key: `k${i}`,
    title: { en: `t${i}`, ja: `t${i}` },
    explain: { en: '', ja: '' },
    actions: { en: [], ja: [] },
    attack: [],
    evidence: {},
  }
}

type Page = { alerts: { title: { en: string } }[]; next: number | null }

describe('GET /api/v1/alerts', () => {
  it('requires authentication and refuses a bad token outright', async () => {
    expect((await call('/api/v1/alerts')).status).toBe(401)
    const bad = await call('/api/v1/alerts', {
      headers: { Authorization: 'Bearer sbt1.tok_x.nope' },
    })
    expect(bad.status).toBe(401)
    expect(await bad.json()).toEqual({ error: 'invalid or unsupported Authorization credential' })
  })

  it('filters by severity, class and time, and pages newest first', async () => {
    const a = await makeCustomer()
    const sev: Severity[] = ['low', 'high', 'high', 'critical', 'medium']
    await storeAlerts(
      db(),
      sev.map((s, i) => alert(a.tenant.id, a.sensor.id, i, s)),
    )
    const get = async (q: string) => {
      const res = await call(`/api/v1/alerts?${q}`, {
        headers: { Authorization: `Bearer ${a.apiToken}` },
      })
      expect(res.status, q).toBe(200)
      const page = (await res.json()) as Page
      return { titles: page.alerts.map((x) => x.title.en), next: page.next }
    }
    expect((await get('')).titles).toEqual(['t4', 't3', 't2', 't1', 't0'])
    expect((await get('severity=high,critical')).titles).toEqual(['t3', 't2', 't1'])
    expect((await get('class=malware.c2')).titles).toEqual(['t3', 't1'])
    expect((await get(`since=${1_700_000_000_000 + 3000}`)).titles).toEqual(['t4', 't3'])
    expect((await get('since=2023-11-14T22:13:22Z')).titles).toEqual(['t4', 't3', 't2'])
    await db().update(alerts).set({ status: 'closed' }).where(eq(alerts.dedupKey, 'k4'))
    expect((await get('status=open')).titles).toEqual(['t3', 't2', 't1', 't0'])
    expect((await get('status=closed')).titles).toEqual(['t4'])
    const first = await get('limit=2')
    expect(first.titles).toEqual(['t4', 't3'])
    const second = await get(`limit=2&before=${first.next}`)
    expect(second.titles).toEqual(['t2', 't1'])
    const last = await get(`limit=2&before=${second.next}`)
    expect(last).toEqual({ titles: ['t0'], next: null })
  })

  it('explains bad query parameters', async () => {
    const a = await makeCustomer()
    const res = await call('/api/v1/alerts?severity=urgent', {
      headers: { Authorization: `Bearer ${a.apiToken}` },
    })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toContain('urgent')
    const limit = await call('/api/v1/alerts?limit=0', {
      headers: { Authorization: `Bearer ${a.apiToken}` },
    })
    expect(limit.status).toBe(400)
  })

  it('triages through PATCH with JSON, in scope only, never for viewers', async () => {
    const a = await makeCustomer('P')
    const b = await makeCustomer('Q')
    const [mine] = await storeAlerts(db(), [alert(a.tenant.id, a.sensor.id, 1, 'high')])
    const [theirs] = await storeAlerts(db(), [alert(b.tenant.id, b.sensor.id, 2, 'high')])
    const patch = (id: number, token: string, body: string, type = 'application/json') =>
      call(`/api/v1/alerts/${id}`, {
        method: 'PATCH',
        body,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
      })
    const ok = await patch(mine?.id ?? 0, a.apiToken, '{"status":"closed"}')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ alert: { status: 'closed' } })
    expect((await patch(theirs?.id ?? 0, a.apiToken, '{"status":"closed"}')).status).toBe(404)
    expect((await patch(mine?.id ?? 0, a.apiToken, '{"status":"gone"}')).status).toBe(400)
    expect((await patch(mine?.id ?? 0, a.apiToken, 'status=ack', 'text/plain')).status).toBe(415)
    const viewerToken = await makeApiToken(a.viewer.id)
    expect((await patch(mine?.id ?? 0, viewerToken, '{"status":"new"}')).status).toBe(403)
  })
})
