/**
 * Tenant isolation across every alert route: a customer sees only its own tenant, a partner
 * only its own customers, the provider everything, through the API and the portal alike.
 */
import { eq } from 'drizzle-orm'
import { beforeAll, describe, expect, it } from 'vitest'
import { type NewAlert, storeAlerts } from '../src/alerts/store.ts'
import { alerts, auditLog } from '../src/db/schema.ts'
import { Browser } from './browser.ts'
import { db, makeApiToken, makeCustomer, makeSensor, makeTenant, makeUser } from './fixtures.ts'
import { call } from './http.ts'

function alertFor(tenantId: string, sensorId: string, label: string): NewAlert {
  return {
    tenantId,
    sensorId,
    rule: 'SB-TEST-0001',
    ruleVersion: 1,
    class: 'malware.c2',
    severity: 'high',
    ts: Date.now(),
    src: { ip: '10.0.0.1', port: 1234 },
    dst: { ip: '198.51.100.7', port: 443 },
    key: `SB-TEST-0001|${label}`,
    title: { en: `Title ${label}`, ja: `タイトル ${label}` },
    explain: { en: `Explain ${label}`, ja: `説明 ${label}` },
    actions: { en: ['Act'], ja: ['対応'] },
    attack: ['T1071'],
    evidence: { kind: 'conn', label },
  }
}

type Listed = { alerts: { id: number; tenantId: string; title: { en: string } }[] }

async function apiList(token: string) {
  const res = await call('/api/v1/alerts?limit=200', {
    headers: { Authorization: `Bearer ${token}` },
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as Listed).alerts
}

describe('tenant isolation', () => {
  // Partner P has customers A and A2; customer B belongs to another partner.
  let a: Awaited<ReturnType<typeof makeCustomer>>
  let b: Awaited<ReturnType<typeof makeCustomer>>
  let a2Tenant: { id: string }
  const ids: Record<string, number> = {}
  let partnerToken: string
  let providerToken: string
  let partnerUser: { id: string; email: string; password: string }

  beforeAll(async () => {
    a = await makeCustomer('A')
    b = await makeCustomer('B')
    a2Tenant = await makeTenant(a.partner.id, 'Customer A2')
    const a2Sensor = await makeSensor(a2Tenant.id)
    const stored = await storeAlerts(db(), [
      alertFor(a.tenant.id, a.sensor.id, 'a'),
      alertFor(b.tenant.id, b.sensor.id, 'b'),
      alertFor(a2Tenant.id, a2Sensor.id, 'a2'),
    ])
    for (const s of stored) {
      ids[s.tenantId === a.tenant.id ? 'a' : s.tenantId === b.tenant.id ? 'b' : 'a2'] = s.id
    }
    partnerUser = await makeUser('partner_admin', { partnerId: a.partner.id })
    partnerToken = await makeApiToken(partnerUser.id)
    const provider = await makeUser('provider_analyst')
    providerToken = await makeApiToken(provider.id)
  })

  it('gives a customer only its own alerts through the API, list and detail', async () => {
    const listed = await apiList(a.apiToken)
    expect(listed.map((x) => x.title.en)).toEqual(['Title a'])
    const own = await call(`/api/v1/alerts/${ids.a}`, {
      headers: { Authorization: `Bearer ${a.apiToken}` },
    })
    expect(own.status).toBe(200)
    for (const other of [ids.b, ids.a2]) {
      const res = await call(`/api/v1/alerts/${other}`, {
        headers: { Authorization: `Bearer ${a.apiToken}` },
      })
      expect(res.status).toBe(404)
    }
  })

  it('gives a customer only its own alerts in the portal, list and detail', async () => {
    const browser = new Browser()
    await browser.login(a.viewer.email, a.viewer.password)
    const list = await (await browser.get('/alerts')).text()
    expect(list).toContain('Title a')
    expect(list).not.toContain('Title b')
    expect(list).not.toContain('Title a2')
    expect((await browser.get(`/alerts/${ids.a}`)).status).toBe(200)
    const other = await browser.get(`/alerts/${ids.b}`)
    expect(other.status).toBe(404)
    expect(await other.text()).not.toContain('Title b')
  })

  it('never lets a customer change another tenant’s alert', async () => {
    const browser = new Browser()
    const csrf = await browser.login(a.admin.email, a.admin.password)
    const res = await browser.post(`/alerts/${ids.b}/status`, { _csrf: csrf, status: 'closed' })
    expect(res.status).toBe(404)
    const row = await db()
      .select()
      .from(alerts)
      .where(eq(alerts.id, ids.b ?? 0))
      .get()
    expect(row?.status).toBe('new')
  })

  it('gives a partner exactly the alerts of its own customers', async () => {
    const listed = await apiList(partnerToken)
    expect(listed.map((x) => x.title.en).sort()).toEqual(['Title a', 'Title a2'])
    const res = await call(`/api/v1/alerts/${ids.b}`, {
      headers: { Authorization: `Bearer ${partnerToken}` },
    })
    expect(res.status).toBe(404)
    const browser = new Browser()
    await browser.login(partnerUser.email, partnerUser.password)
    const page = await (await browser.get('/alerts')).text()
    expect(page).toContain('Title a2')
    expect(page).toContain('Customer A2')
    expect(page).not.toContain('Title b')
    expect((await browser.get(`/alerts/${ids.b}`)).status).toBe(404)
  })

  it('gives the provider every tenant', async () => {
    const titles = (await apiList(providerToken)).map((x) => x.title.en)
    expect(titles).toEqual(expect.arrayContaining(['Title a', 'Title b', 'Title a2']))
  })

  it('lets a viewer read but not triage', async () => {
    const browser = new Browser()
    const csrf = await browser.login(a.viewer.email, a.viewer.password)
    const page = await (await browser.get(`/alerts/${ids.a}`)).text()
    expect(page).not.toContain('/status')
    const res = await browser.post(`/alerts/${ids.a}/status`, { _csrf: csrf, status: 'ack' })
    expect(res.status).toBe(403)
  })

  it('lets an admin acknowledge its own alert with the CSRF token, and audits it', async () => {
    const browser = new Browser()
    const csrf = await browser.login(a.admin.email, a.admin.password)
    expect((await browser.post(`/alerts/${ids.a}/status`, { status: 'ack' })).status).toBe(403)
    const res = await browser.post(`/alerts/${ids.a}/status`, { _csrf: csrf, status: 'ack' })
    expect(res.status).toBe(303)
    const row = await db()
      .select()
      .from(alerts)
      .where(eq(alerts.id, ids.a ?? 0))
      .get()
    expect(row?.status).toBe('ack')
    const audited = await db()
      .select()
      .from(auditLog)
      .where(eq(auditLog.target, `alert:${ids.a}`))
    expect(audited.map((r) => [r.action, r.actorUserId, r.detail])).toEqual([
      ['alert.status', a.admin.id, { status: 'ack' }],
    ])
  })

  it('counts only the caller’s alerts and sensors on the dashboard', async () => {
    const { summarize } = await import('../src/alerts/summary.ts')
    const asA = {
      userId: a.admin.id,
      email: '',
      displayName: '',
      role: 'customer_admin' as const,
      locale: 'en' as const,
      tenantId: a.tenant.id,
      partnerId: null,
    }
    const mine = await summarize(db(), asA, 0)
    expect(mine.recentByClass).toEqual([{ class: 'malware.c2', n: 1 }])
    expect(mine.sensors.pending + mine.sensors.online + mine.sensors.offline).toBe(1)
    const browser = new Browser()
    await browser.login(partnerUser.email, partnerUser.password)
    const html = await (await browser.get('/?lang=ja')).text()
    expect(html).toContain('ダッシュボード')
    expect(html).toMatch(/C&amp;C通信<\/td><td>2<\/td>/)
  })

  it('lists only the caller’s sensors on the device page and in the API', async () => {
    const browser = new Browser()
    await browser.login(a.viewer.email, a.viewer.password)
    const html = await (await browser.get('/sensors')).text()
    expect(html).toContain('sensor-A')
    expect(html).not.toContain('sensor-B')
    const res = await call('/api/v1/sensors', {
      headers: { Authorization: `Bearer ${partnerToken}` },
    })
    const ids = ((await res.json()) as { sensors: { id: string }[] }).sensors.map((s) => s.id)
    expect(ids).toContain(a.sensor.id)
    expect(ids).not.toContain(b.sensor.id)
  })
})
