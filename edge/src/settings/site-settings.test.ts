// A tenant's site variables through the API and the portal: every declared variable listed with
// its type, descriptions, default and value; validation per variable in both languages; roles,
// CSRF, the audit log, tenant isolation; and that detection follows the new values at once.
import { and, eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { Browser } from '../../test/browser.ts'
import { db, makeApiToken, makeCustomer, makeTenant, makeUser } from '../../test/fixtures.ts'
import { call, ingest } from '../../test/http.ts'
import { gzip, wireGroup } from '../../test/wire.ts'
import { alerts, auditLog } from '../db/schema.ts'
import { tenantSiteSettings } from '../policy/tables.ts'
import { validateSiteSettings } from './validate-site-settings.ts'

type View = {
  tenant: { id: string }
  pack: string
  variables: {
    name: string
    type: string
    doc: { en: string; ja: string }
    default: unknown
    value: unknown
    overridden: boolean
    usedBy: string[]
  }[]
}
type Errors = { fields: Record<string, { en: string; ja: string }> }

const json = (token: string) => ({
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/json',
})

function put(tenantId: string, token: string, body: unknown) {
  return call(`/api/v1/settings/${tenantId}/site`, {
    method: 'PUT',
    headers: json(token),
    body: JSON.stringify(body),
  })
}

async function storedRow(tenantId: string) {
  const row = await db()
    .select()
    .from(tenantSiteSettings)
    .where(eq(tenantSiteSettings.tenantId, tenantId))
    .get()
  return row ? JSON.parse(row.settings) : undefined
}

describe('site variables API', () => {
  it('lists every declared variable, names bad values per variable, saves and audits', async () => {
    const a = await makeCustomer('SiteA')
    const got = await call(`/api/v1/settings/${a.tenant.id}/site`, { headers: json(a.apiToken) })
    expect(got.status).toBe(200)
    const view = (await got.json()) as View
    expect(view.tenant.id).toBe(a.tenant.id)
    expect(view.pack).toMatch(/\S/)
    const dc = view.variables.find((v) => v.name === 'domain_controllers')
    expect(dc).toMatchObject({ type: 'cidrs', default: [], value: [], overridden: false })
    expect(dc?.doc.en).toContain('Domain controllers')
    // The DCSync and DCShadow rules read it; the default policy reads $crown_jewels.
    expect(dc?.usedBy).toEqual(expect.arrayContaining(['SB-LAT-0011', 'SB-LAT-0012']))
    expect(view.variables.find((v) => v.name === 'crown_jewels')?.usedBy).toContain(
      'policy default',
    )
    expect(dc?.doc.ja).toContain('ドメインコントローラー')
    expect(view.variables.map((v) => v.name)).toEqual(
      expect.arrayContaining(['home_nets', 'allowed_admin_hosts', 'scanners', 'crown_jewels']),
    )

    const bad = await put(a.tenant.id, a.apiToken, {
      domain_controllers: ['10.0.0.2', '10.0.0.300'],
      scanners: 'not-an-ip',
      $crown_jewels: 5,
      no_such_thing: ['x'],
    })
    expect(bad.status).toBe(400)
    const errors = ((await bad.json()) as Errors).fields
    expect(Object.keys(errors).sort()).toEqual([
      'crown_jewels',
      'domain_controllers',
      'no_such_thing',
      'scanners',
    ])
    expect(errors.domain_controllers?.en).toContain('(line 2): “10.0.0.300” is not an IP address')
    expect(errors.domain_controllers?.en).toContain('10.0.0.0/24')
    expect(errors.domain_controllers?.ja).toContain('（2行目）：「10.0.0.300」はIPアドレス')
    expect(errors.crown_jewels?.en).toContain('is a list')
    expect(errors.no_such_thing?.en).toContain('not a site variable of the current rule pack')
    expect(errors.no_such_thing?.ja).toContain('サイト変数ではありません')
    expect(await storedRow(a.tenant.id)).toBeUndefined()

    // Text works as in the form; a value equal to the default is not kept as an override.
    const ok = await put(a.tenant.id, a.apiToken, {
      domain_controllers: '10.0.0.2\n10.0.0.3, 10.0.0.2\n\n',
      $allowed_admin_hosts: ['10.1.0.0/24', 'fd00::10'],
      scanners: [],
    })
    expect(ok.status).toBe(200)
    const saved = (await ok.json()) as View
    expect(saved.variables.find((v) => v.name === 'domain_controllers')).toMatchObject({
      value: ['10.0.0.2', '10.0.0.3'],
      overridden: true,
    })
    expect(await storedRow(a.tenant.id)).toEqual({
      domain_controllers: ['10.0.0.2', '10.0.0.3'],
      allowed_admin_hosts: ['10.1.0.0/24', 'fd00::10'],
    })
    const cleared = await put(a.tenant.id, a.apiToken, {})
    expect(cleared.status).toBe(200)
    expect(await storedRow(a.tenant.id)).toBeUndefined()

    const audited = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'tenant.site_settings'), eq(auditLog.tenantId, a.tenant.id)))
      .orderBy(auditLog.id)
    expect(audited).toHaveLength(2)
    expect(audited[0]?.actorUserId).toBe(a.admin.id)
    expect(audited[0]?.detail).toMatchObject({
      before: {},
      after: { domain_controllers: ['10.0.0.2', '10.0.0.3'] },
    })
    expect(audited[1]?.detail).toMatchObject({
      before: { domain_controllers: ['10.0.0.2', '10.0.0.3'] },
      after: {},
    })
  })

  it('hides other tenants, lets viewers and the provider read only, partner admins edit theirs', async () => {
    const a = await makeCustomer('SiteB')
    const b = await makeCustomer('SiteC')
    const body = { domain_controllers: ['10.9.9.9'] }
    for (const init of [
      { headers: json(a.apiToken) },
      { method: 'PUT', headers: json(a.apiToken), body: JSON.stringify(body) },
    ]) {
      expect((await call(`/api/v1/settings/${b.tenant.id}/site`, init)).status).toBe(404)
    }
    expect(await storedRow(b.tenant.id)).toBeUndefined()
    expect((await call(`/api/v1/settings/${a.tenant.id}/site`)).status).toBe(401)

    const viewerToken = await makeApiToken(a.viewer.id)
    const read = await call(`/api/v1/settings/${a.tenant.id}/site`, {
      headers: json(viewerToken),
    })
    expect(read.status).toBe(200)
    expect((await put(a.tenant.id, viewerToken, body)).status).toBe(403)

    const analyst = await makeUser('provider_analyst')
    const analystToken = await makeApiToken(analyst.id)
    expect(
      (await call(`/api/v1/settings/${b.tenant.id}/site`, { headers: json(analystToken) })).status,
    ).toBe(200)
    expect((await put(b.tenant.id, analystToken, body)).status).toBe(403)

    const second = await makeTenant(a.partner.id, 'Customer SiteB2')
    const partnerAdmin = await makeUser('partner_admin', { partnerId: a.partner.id })
    const partnerToken = await makeApiToken(partnerAdmin.id)
    expect((await put(second.id, partnerToken, body)).status).toBe(200)
    expect(await storedRow(second.id)).toEqual(body)
    expect((await put(b.tenant.id, partnerToken, body)).status).toBe(404)
    expect(await storedRow(b.tenant.id)).toBeUndefined()
    expect(await storedRow(a.tenant.id)).toBeUndefined()
  })
})

describe('site variables in the portal', () => {
  it('shows each variable with type, description, default and value; validates; saves', async () => {
    const a = await makeCustomer('SiteD')
    const other = await makeCustomer('SiteE')
    const browser = new Browser()
    const csrf = await browser.login(a.admin.email, a.admin.password)
    const page = await (await browser.get('/settings')).text()
    expect(page).toContain('Site variables')
    expect(page).toContain('$domain_controllers')
    expect(page).toContain('Domain controllers of the site')
    expect(page).toContain('IP addresses or networks, one per line')
    expect(page).toContain('10.0.0.0/8, 172.16.0.0/12')
    expect(page).toMatch(/Used by: [^<]*SB-LAT-0011/)
    const ja = await (await browser.get('/settings?lang=ja')).text()
    expect(ja).toContain('サイト変数')
    expect(ja).toContain('拠点のドメインコントローラー')
    await browser.get('/settings?lang=en')

    const form = { 'site.domain_controllers': '10.0.0.2\n10.0.0.3' }
    const forged = await browser.post(`/settings/${a.tenant.id}/site`, { ...form, _csrf: 'x' })
    expect(forged.status).toBe(403)
    expect(await storedRow(a.tenant.id)).toBeUndefined()

    const bad = await browser.post(`/settings/${a.tenant.id}/site`, {
      'site.domain_controllers': '10.0.0.2\ndc1.example.local',
      _csrf: csrf,
    })
    expect(bad.status).toBe(400)
    const badHtml = await bad.text()
    expect(badHtml).toContain('nothing was saved')
    expect(badHtml).toContain('$domain_controllers (line 2): “dc1.example.local” is not an IP')
    // What was typed stays in the field to be fixed.
    expect(badHtml).toContain('dc1.example.local</textarea>')
    await browser.get('/settings?lang=ja')
    const badJa = await browser.post(`/settings/${a.tenant.id}/site`, {
      'site.scanners': '999.1.1.1',
      _csrf: csrf,
    })
    expect(await badJa.text()).toContain('「999.1.1.1」はIPアドレスでもネットワークでもありません')
    await browser.get('/settings?lang=en')

    const ok = await browser.post(`/settings/${a.tenant.id}/site`, { ...form, _csrf: csrf })
    expect(ok.status).toBe(303)
    expect(await storedRow(a.tenant.id)).toEqual({ domain_controllers: ['10.0.0.2', '10.0.0.3'] })
    const after = await (await browser.get(ok.headers.get('Location') ?? '')).text()
    expect(after).toContain('The site variables were saved')
    expect(after).toContain('10.0.0.2\n10.0.0.3</textarea>')
    expect(after).toContain('set for this customer')
    expect(after).toMatch(/Last changed: \d{4}-\d{2}-\d{2} \d{2}:\d{2}/)

    const across = await browser.post(`/settings/${other.tenant.id}/site`, {
      ...form,
      _csrf: csrf,
    })
    expect(across.status).toBe(404)
    expect(await storedRow(other.tenant.id)).toBeUndefined()

    const viewer = new Browser()
    const viewerCsrf = await viewer.login(a.viewer.email, a.viewer.password)
    const viewerPage = await (await viewer.get('/settings')).text()
    expect(viewerPage).toContain('$domain_controllers')
    expect(viewerPage).not.toContain('Save site variables')
    const denied = await viewer.post(`/settings/${a.tenant.id}/site`, {
      'site.domain_controllers': '',
      _csrf: viewerCsrf,
    })
    expect(denied.status).toBe(403)
    expect(await storedRow(a.tenant.id)).toEqual({ domain_controllers: ['10.0.0.2', '10.0.0.3'] })
  })
})

describe('site variables in detection', () => {
  // DCSync (SB-LAT-0011): directory replication requested by a host that is not one of the
  // site's domain controllers ($domain_controllers).
  let n = 0
  const dcsync = (src: string, dst: string) =>
    wireGroup('dcerpc', [
      {
        ts: 1_800_000_000_000 + n++ * 1000,
        flow: `1:dcsync${n}=`,
        src: { ip: src, port: 49_700 + n, internal: true },
        dst: { ip: dst, port: 135, internal: true },
        transport: 'tcp',
        interface: 'e3514235-4b06-11d1-ab04-00c04fc2dcd2',
        service: 'drsuapi',
        opnum: 3,
        operation: 'DRSGetNCChanges',
      },
    ])

  it('a batch after $domain_controllers is set follows it at once, on the same sensor', async () => {
    const a = await makeCustomer('SiteF')
    const b = await makeCustomer('SiteG')
    const raised = async (tenantId: string) =>
      (
        await db()
          .select({ dst: alerts.dstIp })
          .from(alerts)
          .where(and(eq(alerts.tenantId, tenantId), eq(alerts.rule, 'SB-LAT-0011')))
          .orderBy(alerts.id)
      ).map((r) => r.dst)
    let seq = 0
    const send = async (token: string, src: string, dst: string) => {
      const res = await ingest(await gzip(dcsync(src, dst)), { token, boot: 'dc', seq: seq++ })
      expect(res.status).toBe(200)
    }

    // No domain controllers declared: replication from 10.0.0.21 is DCSync.
    await send(a.sensor.token, '10.0.0.21', '10.0.0.2')
    expect(await raised(a.tenant.id)).toEqual(['10.0.0.2'])

    // 10.0.0.21 is declared a domain controller: its replication is quiet from the next batch
    // (the sensor's engine is the same one, already running).
    const set = await put(a.tenant.id, a.apiToken, { domain_controllers: ['10.0.0.20/30'] })
    expect(set.status).toBe(200)
    await send(a.sensor.token, '10.0.0.21', '10.0.0.3')
    expect(await raised(a.tenant.id)).toEqual(['10.0.0.2'])
    // Another host still raises, and another tenant is not affected by this tenant's list.
    await send(a.sensor.token, '10.0.0.99', '10.0.0.3')
    expect(await raised(a.tenant.id)).toEqual(['10.0.0.2', '10.0.0.3'])
    seq = 0
    await send(b.sensor.token, '10.0.0.21', '10.0.0.3')
    expect(await raised(b.tenant.id)).toEqual(['10.0.0.3'])

    // Back to the default: it raises again.
    seq = 10
    expect((await put(a.tenant.id, a.apiToken, {})).status).toBe(200)
    await send(a.sensor.token, '10.0.0.21', '10.0.0.4')
    expect(await raised(a.tenant.id)).toEqual(['10.0.0.2', '10.0.0.3', '10.0.0.4'])
  })
})

describe('validateSiteSettings by declared type', () => {
  const doc = { en: 'x', ja: 'x' }
  const variables = [
    { name: 'admin_ports', type: 'ports' as const, default: [22], doc },
    { name: 'internal_domains', type: 'domains' as const, default: [], doc },
    { name: 'scan_threshold', type: 'number' as const, default: 20, doc },
    { name: 'strict', type: 'bool' as const, default: false, doc },
    { name: 'vendors', type: 'strings' as const, default: [], doc },
  ]

  it('parses text and JSON into typed values; equal to the default is no override', () => {
    expect(
      validateSiteSettings(variables, {
        admin_ports: '22\n3389, 5985',
        internal_domains: ['Corp.Example', 'lab.corp.example.'],
        scan_threshold: '1,000',
        strict: 'false',
        vendors: ['acme'],
      }),
    ).toEqual({
      ok: true,
      overrides: {
        admin_ports: [22, 3389, 5985],
        internal_domains: ['corp.example', 'lab.corp.example.'],
        scan_threshold: 1000,
        vendors: ['acme'],
      },
    })
  })

  it('names the bad entry, its line and the way to write it, in English and Japanese', () => {
    const checked = validateSiteSettings(variables, {
      admin_ports: '22\n70000',
      internal_domains: 'corp.example\nhttp://bad.example/',
      scan_threshold: 'many',
      strict: 'maybe',
      vendors: { not: 'a list' },
    })
    if (checked.ok) throw new Error('expected errors')
    expect(checked.errors.admin_ports?.en).toBe(
      '$admin_ports (line 2): “70000” is not a port number. Enter a whole number from 0 to 65535 (e.g. 3389), one per line.',
    )
    expect(checked.errors.admin_ports?.ja).toContain(
      '（2行目）：「70000」はポート番号ではありません',
    )
    expect(checked.errors.internal_domains?.en).toContain(
      '(line 2): “http://bad.example/” is not a DNS name',
    )
    expect(checked.errors.internal_domains?.ja).toContain('DNS名ではありません')
    expect(checked.errors.scan_threshold?.en).toContain('“many” is not a number')
    expect(checked.errors.strict?.ja).toContain(
      '「maybe」は「はい」「いいえ」のどちらでもありません',
    )
    expect(checked.errors.vendors?.en).toContain('$vendors is a list')
  })
})
