import { packTag } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { makeCustomer } from '../../test/fixtures.ts'
import { call } from '../../test/http.ts'
import { sha256Hex } from '../crypto/digest.ts'
import { defaultPack } from '../ingest/engine.ts'

describe('GET /v1/pack', () => {
  it('serves the pack with its tag as ETag (hash and policy hash), then 304', async () => {
    const { sensor } = await makeCustomer()
    const auth = { Authorization: `Bearer ${sensor.token}` }
    const res = await call('/v1/pack', { headers: auth })
    expect(res.status).toBe(200)
    const etag = res.headers.get('ETag')
    // Rules and plan, then policies and site variable declarations: either changes the ETag.
    expect(defaultPack.policyHash).toMatch(/^[0-9a-f]{64}$/)
    expect(etag).toBe(`"${defaultPack.hash}.${defaultPack.policyHash}"`)
    expect(etag).toBe(`"${packTag(defaultPack)}"`)
    expect(res.headers.get('X-Socbox-Pack-Version')).toBe(defaultPack.version)
    const pack = (await res.json()) as typeof defaultPack
    // What a sensor does before swapping: the content hash must match.
    expect(await sha256Hex(JSON.stringify({ rules: pack.rules, plan: pack.plan }))).toBe(pack.hash)
    const again = await call('/v1/pack', { headers: { ...auth, 'If-None-Match': etag ?? '' } })
    expect(again.status).toBe(304)
    const stale = await call('/v1/pack', { headers: { ...auth, 'If-None-Match': '"old"' } })
    expect(stale.status).toBe(200)
    // A sensor that has the same rules and plan under other policies gets the pack again.
    const samePlan = await call('/v1/pack', {
      headers: { ...auth, 'If-None-Match': `"${defaultPack.hash}"` },
    })
    expect(samePlan.status).toBe(200)
  })

  it('is not served without a sensor credential', async () => {
    const { apiToken } = await makeCustomer()
    expect((await call('/v1/pack')).status).toBe(401)
    expect(
      (await call('/v1/pack', { headers: { Authorization: `Bearer ${apiToken}` } })).status,
    ).toBe(401)
  })
})
