// A tenant's own indicator lists reach its sensors, and only its sensors, through GET /v1/pack:
// a pack of its own with a hash the sensor can verify, an ETag that changes with the lists, and
// the bundled pack again once the lists are gone.
import { packTag } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { makeApiToken, makeCustomer, makeSensor } from '../../test/fixtures.ts'
import { call } from '../../test/http.ts'
import { sha256Hex } from '../crypto/digest.ts'
import { defaultPack } from '../ingest/engine.ts'

type Pack = typeof defaultPack

async function fetchPack(token: string, etag?: string) {
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` }
  if (etag) headers['If-None-Match'] = etag
  return call('/v1/pack', { headers })
}

function putLists(apiToken: string, tenantId: string, body: unknown) {
  return call(`/api/v1/settings/${tenantId}/lists`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${apiToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

const LISTS = {
  lists: [
    { name: 'blocklist', ioc: 'domain', entries: ['Bad.Example.', 'worse.example'] },
    { name: 'partner-feed', ioc: 'ip', entries: ['203.0.113.0/24', '2001:db8::1'] },
  ],
}

describe('per-tenant rule packs', () => {
  it('serves a tenant its own lists, to its sensors only', async () => {
    const a = await makeCustomer('PackA')
    const secondSensor = await makeSensor(a.tenant.id, 'sensor-PackA-2')
    const b = await makeCustomer('PackB')
    const put = await putLists(a.apiToken, a.tenant.id, LISTS)
    expect(put.status).toBe(200)

    for (const token of [a.sensor.token, secondSensor.token]) {
      const res = await fetchPack(token)
      expect(res.status).toBe(200)
      const pack = (await res.json()) as Pack
      expect(res.headers.get('ETag')).toBe(`"${packTag(pack)}"`)
      expect(pack.hash).not.toBe(defaultPack.hash)
      expect(pack.version).toMatch(
        new RegExp(`^${defaultPack.version.replace(/[.+]/g, '\\$&')}\\+tenant\\.`),
      )
      // What the sensor checks before swapping.
      expect(await sha256Hex(JSON.stringify({ rules: pack.rules, plan: pack.plan }))).toBe(
        pack.hash,
      )
      const own = pack.plan.intel.filter((l) => l.list.startsWith('tenant.'))
      expect(own).toEqual([
        { list: 'tenant.blocklist', ioc: 'domain', entries: ['bad.example', 'worse.example'] },
        { list: 'tenant.partner-feed', ioc: 'ip', entries: ['2001:db8::1', '203.0.113.0/24'] },
      ])
      expect(pack.plan.intel.length).toBe(defaultPack.plan.intel.length + 2)
      const again = await fetchPack(token, res.headers.get('ETag') ?? '')
      expect(again.status).toBe(304)
    }

    const other = await fetchPack(b.sensor.token)
    expect(other.headers.get('ETag')).toBe(`"${packTag(defaultPack)}"`)
    const otherPack = (await other.json()) as Pack
    expect(otherPack.plan.intel.some((l) => l.list.startsWith('tenant.'))).toBe(false)

    // Emptied lists: back to the bundled pack, so the sensors swap back.
    expect((await putLists(a.apiToken, a.tenant.id, { lists: [] })).status).toBe(200)
    const back = await fetchPack(a.sensor.token)
    expect(back.headers.get('ETag')).toBe(`"${packTag(defaultPack)}"`)
  })

  it('changes lists only for callers allowed to, and says what is wrong', async () => {
    const a = await makeCustomer('PackC')
    const b = await makeCustomer('PackD')
    // Another customer's tenant is not found.
    expect((await putLists(b.apiToken, a.tenant.id, LISTS)).status).toBe(404)
    const viewerToken = await makeApiToken(a.viewer.id)
    expect((await putLists(viewerToken, a.tenant.id, LISTS)).status).toBe(403)
    const bad = await putLists(a.apiToken, a.tenant.id, {
      lists: [{ name: 'x', ioc: 'ip', entries: ['10.0.0.300', 'not an ip'] }],
    })
    expect(bad.status).toBe(400)
    const body = (await bad.json()) as { problems: { en: string; ja: string }[] }
    expect(body.problems.map((p) => p.en)).toEqual([
      'x: "10.0.0.300" is not an IP address or CIDR',
      'x: "not an ip" is not an IP address or CIDR',
    ])
    expect(body.problems[0]?.ja).toContain('IP アドレスまたは CIDR')
    const listed = await call(`/api/v1/settings/${a.tenant.id}/lists`, {
      headers: { Authorization: `Bearer ${viewerToken}` },
    })
    expect(await listed.json()).toEqual({ tenant: a.tenant.id, lists: [] })
    const pack = await fetchPack(a.sensor.token)
    expect(pack.headers.get('ETag')).toBe(`"${packTag(defaultPack)}"`)
  })
})
