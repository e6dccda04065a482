// Per-tenant monitoring settings through the portal and the API: who may read and change them,
// validation, CSRF, the audit log, tenant isolation, and that heartbeats are judged by them.
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { db, makeApiToken, makeCustomer, makeTenant, makeUser } from '../../test/fixtures.ts'
import { call, heartbeat } from '../../test/http.ts'
import { alerts, auditLog, tenants } from '../db/schema.ts'

const form = {
  bandwidthMbps: '500',
  sustainedMinutes: '10',
  endpointLimit: '2,000',
  dropPercent: '12.5',
  offlineMissed: '6',
}

async function stored(tenantId: string) {
  return db()
    .select({
      bps: tenants.bandwidthLimitBps,
      sustained: tenants.bandwidthSustainedS,
      endpoints: tenants.endpointLimit,
      drops: tenants.dropRateLimit,
      missed: tenants.offlineMissedHeartbeats,
    })
    .from(tenants)
    .where(eq(tenants.id, tenantId))
    .get()
}

const DEFAULTS = { bps: 1e9, sustained: 300, endpoints: 1000, drops: 0.05, missed: 3 }

describe('tenant settings in the portal', () => {
  it('a customer admin sees the defaults, gets clear errors, saves, and the change is audited', async () => {
    const a = await makeCustomer('SetA')
    const browser = new Browser()
    const csrf = await browser.login(a.admin.email, a.admin.password)
    const page = await (await browser.get('/settings')).text()
    expect(page).toContain('Monitoring settings')
    expect(page).toContain('value="1000"')
    expect(page).toContain('value="5"')
    expect(await (await browser.get('/settings?lang=ja')).text()).toContain('監視設定')
    await browser.get('/settings?lang=en')

    // Without the session's CSRF token nothing happens.
    const forged = await browser.post(`/settings/${a.tenant.id}`, { ...form, _csrf: 'x' })
    expect(forged.status).toBe(403)
    expect(await stored(a.tenant.id)).toEqual(DEFAULTS)

    const bad = await browser.post(`/settings/${a.tenant.id}`, {
      ...form,
      bandwidthMbps: 'fast',
      dropPercent: '250',
      _csrf: csrf,
    })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('nothing was saved')
    expect(badHtml).toContain('“fast” is not a number')
    expect(badHtml).toContain('must be between 0.1–100 % of packets; 250 is outside')
    expect(await stored(a.tenant.id)).toEqual(DEFAULTS)
    await browser.get('/settings?lang=ja')
    const badJa = await browser.post(`/settings/${a.tenant.id}`, {
      ...form,
      offlineMissed: '',
      _csrf: csrf,
    })
    expect(await badJa.text()).toContain('停止とみなすまでを入力してください')
    await browser.get('/settings?lang=en')

    const ok = await browser.post(`/settings/${a.tenant.id}`, { ...form, _csrf: csrf })
    expect(ok.status).toBe(303)
    expect(await stored(a.tenant.id)).toEqual({
      bps: 500e6,
      sustained: 600,
      endpoints: 2000,
      drops: 0.125,
      missed: 6,
    })
    const after = await (await browser.get(ok.headers.get('Location') ?? '')).text()
    expect(after).toContain('The settings were saved.')
    expect(after).toContain('value="12.5"')
    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'tenant.settings'), eq(auditLog.tenantId, a.tenant.id)))
    expect(audited).toHaveLength(1)
    expect(audited[0]?.actorUserId).toBe(a.admin.id)
    expect(audited[0]?.detail).toMatchObject({
      before: { bandwidthMbps: 1000, dropPercent: 5 },
      after: { bandwidthMbps: 500, dropPercent: 12.5, offlineMissed: 6 },
    })
  })

  it('a viewer reads only; another customer’s tenant is not found', async () => {
    const a = await makeCustomer('SetB')
    const b = await makeCustomer('SetC')
    const browser = new Browser()
    const csrf = await browser.login(a.viewer.email, a.viewer.password)
    const page = await (await browser.get('/settings')).text()
    expect(page).toContain('can read these settings')
    expect(page).toContain('disabled')
    expect(page).not.toContain('Save settings')
    const denied = await browser.post(`/settings/${a.tenant.id}`, { ...form, _csrf: csrf })
    expect(denied.status).toBe(403)
    expect(await stored(a.tenant.id)).toEqual(DEFAULTS)

    const admin = new Browser()
    const adminCsrf = await admin.login(a.admin.email, a.admin.password)
    expect((await admin.get(`/settings?tenant=${b.tenant.id}`)).status).toBe(404)
    const across = await admin.post(`/settings/${b.tenant.id}`, { ...form, _csrf: adminCsrf })
    expect(across.status).toBe(404)
    expect(await stored(b.tenant.id)).toEqual(DEFAULTS)
  })

  it('a partner admin edits its own customers only; the provider reads all and changes none', async () => {
    const a = await makeCustomer('SetD')
    const second = await makeTenant(a.partner.id, 'Customer SetD2')
    const other = await makeCustomer('SetE')
    const partnerAdmin = await makeUser('partner_admin', { partnerId: a.partner.id })
    const browser = new Browser()
    const csrf = await browser.login(partnerAdmin.email, partnerAdmin.password)
    const page = await (await browser.get('/settings')).text()
    expect(page).toContain('Customer SetD')
    expect(page).toContain('Customer SetD2')
    expect(page).not.toContain('Customer SetE')
    const ok = await browser.post(`/settings/${second.id}`, { ...form, _csrf: csrf })
    expect(ok.status).toBe(303)
    expect((await stored(second.id))?.endpoints).toBe(2000)
    const across = await browser.post(`/settings/${other.tenant.id}`, { ...form, _csrf: csrf })
    expect(across.status).toBe(404)
    expect(await stored(other.tenant.id)).toEqual(DEFAULTS)

    const analyst = await makeUser('provider_analyst')
    const token = await makeApiToken(analyst.id)
    const listed = await call('/api/v1/settings', { headers: { Authorization: `Bearer ${token}` } })
    const ids = ((await listed.json()) as { tenants: { id: string }[] }).tenants.map((t) => t.id)
    expect(ids).toContain(other.tenant.id)
    const put = await call(`/api/v1/settings/${other.tenant.id}`, {
      method: 'PUT',
      body: JSON.stringify(form),
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    })
    expect(put.status).toBe(403)
  })
})

describe('tenant settings API', () => {
  it('reads and changes the caller’s tenant, names bad fields, and hides other tenants', async () => {
    const a = await makeCustomer('SetF')
    const b = await makeCustomer('SetG')
    const auth = { Authorization: `Bearer ${a.apiToken}`, 'Content-Type': 'application/json' }
    const got = await call(`/api/v1/settings/${a.tenant.id}`, { headers: auth })
    expect(await got.json()).toMatchObject({
      id: a.tenant.id,
      settings: {
        bandwidthMbps: 1000,
        sustainedMinutes: 5,
        endpointLimit: 1000,
        dropPercent: 5,
        offlineMissed: 3,
      },
    })
    const bad = await call(`/api/v1/settings/${a.tenant.id}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ ...form, sustainedMinutes: 2.5 }),
    })
    expect(bad.status).toBe(400)
    const errors = (await bad.json()) as { fields: Record<string, { en: string; ja: string }> }
    expect(Object.keys(errors.fields)).toEqual(['sustainedMinutes'])
    expect(errors.fields.sustainedMinutes?.en).toContain('whole number')
    expect(errors.fields.sustainedMinutes?.ja).toContain('整数')
    const put = await call(`/api/v1/settings/${a.tenant.id}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ ...form, endpointLimit: 40 }),
    })
    expect(put.status).toBe(200)
    expect((await stored(a.tenant.id))?.endpoints).toBe(40)
    for (const init of [
      { headers: auth },
      { method: 'PUT', headers: auth, body: JSON.stringify(form) },
    ]) {
      const res = await call(`/api/v1/settings/${b.tenant.id}`, init)
      expect(res.status).toBe(404)
    }
    expect(await stored(b.tenant.id)).toEqual(DEFAULTS)
    expect((await call(`/api/v1/settings/${a.tenant.id}`)).status).toBe(401)
  })

  it('heartbeats are judged by the tenant’s drop threshold', async () => {
    const lax = await makeCustomer('SetH')
    const strict = await makeCustomer('SetI')
    await call(`/api/v1/settings/${lax.tenant.id}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${lax.apiToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...form, dropPercent: 20 }),
    })
    // 10 % of packets dropped: over the default 5 %, under the lax tenant's 20 %.
    const health = { agent_version: '1', packets: 9000, drops_kernel: 1000 }
    for (const [c, boot] of [
      [lax, 'lax'],
      [strict, 'strict'],
    ] as const) {
      const res = await heartbeat(health, { token: c.sensor.token, boot, seq: 0 })
      expect(res.status).toBe(200)
    }
    const drops = async (tenantId: string) =>
      db()
        .select()
        .from(alerts)
        .where(and(eq(alerts.tenantId, tenantId), eq(alerts.class, 'device.drops')))
    expect(await drops(lax.tenant.id)).toHaveLength(0)
    expect(await drops(strict.tenant.id)).toHaveLength(1)
  })
})
