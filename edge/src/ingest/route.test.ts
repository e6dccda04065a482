import { env } from 'cloudflare:test'
import { communityIdV1 } from '@socbox/dsl/runtime'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer } from '../../test/fixtures.ts'
import { call, ingest } from '../../test/http.ts'
import { dnsEvent, gzip, wireBatch } from '../../test/wire.ts'
import { alerts, sensors } from '../db/schema.ts'

const TOR = { intelList: 'maltrail.onion', indicator: 'onion.to' }

describe('POST /v1/ingest', () => {
  it('turns a gzipped batch into an alert in D1 and in the alerts API', async () => {
    const a = await makeCustomer()
    const events = [dnsEvent('example.com'), dnsEvent('abc.onion.to', TOR)]
    const res = await ingest(await gzip(wireBatch(events)), { token: a.sensor.token, seq: 0 })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ accepted: 2, alerts: 1, ack: 0, duplicate: false })
    expect(res.headers.get('X-Socbox-Seq')).toBe('0')

    const rows = await db().select().from(alerts).where(eq(alerts.tenantId, a.tenant.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      rule: 'SB-TOR-0001',
      class: 'suspicious.tor',
      sensorId: a.sensor.id,
      srcIp: '10.0.0.5',
      status: 'new',
    })
    expect(rows[0]?.title.en).toContain('abc.onion.to')
    expect(rows[0]?.title.ja).toContain('abc.onion.to')

    const api = await call('/api/v1/alerts', { headers: { Authorization: `Bearer ${a.apiToken}` } })
    const body = (await api.json()) as { alerts: { rule: string; dstIp: string }[] }
    expect(body.alerts.map((x) => x.rule)).toEqual(['SB-TOR-0001'])

    const sensor = await db().select().from(sensors).where(eq(sensors.id, a.sensor.id)).get()
    expect(sensor?.status).toBe('online')
    expect(sensor?.lastSeenAt).toBeGreaterThan(0)
  })

  it('stores a finding once even when later batches repeat it', async () => {
    const a = await makeCustomer()
    const hit = () => dnsEvent('same.onion.to', { ...TOR, srcIp: '10.0.0.9' })
    const first = await ingest(await gzip(wireBatch([hit(), hit()])), {
      token: a.sensor.token,
      seq: 0,
    })
    expect(await first.json()).toMatchObject({ alerts: 1, ack: 0 })
    const second = await ingest(await gzip(wireBatch([hit()])), { token: a.sensor.token, seq: 1 })
    expect(await second.json()).toMatchObject({ accepted: 1, alerts: 0, ack: 1 })
    const rows = await db().select().from(alerts).where(eq(alerts.tenantId, a.tenant.id))
    expect(rows).toHaveLength(1)
  })

  it('answers a retried batch with the same ack and no second effect', async () => {
    const a = await makeCustomer()
    const body = await gzip(wireBatch([dnsEvent('retry.onion.to', TOR)]))
    const first = await ingest(body, { token: a.sensor.token, boot: 'b-retry', seq: 0 })
    expect(await first.json()).toMatchObject({ accepted: 1, alerts: 1, duplicate: false })
    const again = await ingest(body, { token: a.sensor.token, boot: 'b-retry', seq: 0 })
    expect(await again.json()).toMatchObject({ accepted: 0, alerts: 0, ack: 0, duplicate: true })
  })

  it('accepts an uncompressed batch too', async () => {
    const a = await makeCustomer()
    const res = await ingest(wireBatch([dnsEvent('plain.example')]), {
      token: a.sensor.token,
      headers: { 'Content-Encoding': 'identity' },
    })
    expect(await res.json()).toMatchObject({ accepted: 1, alerts: 0, ack: 0 })
  })

  it('refuses a malformed batch with 400 while a good batch beside it goes through', async () => {
    const a = await makeCustomer()
    const good = await gzip(wireBatch([dnsEvent('good.onion.to', TOR)]))
    const bad = await gzip('{"v":1,"n":2,"groups":[{"kind":"dns","n":2,"cols":{"ts":[1]}}]}')
    const [badRes, goodRes] = await Promise.all([
      ingest(bad, { token: a.sensor.token, boot: 'b-mixed', seq: 0 }),
      ingest(good, { token: a.sensor.token, boot: 'b-mixed', seq: 1 }),
    ])
    expect(badRes.status).toBe(400)
    const error = ((await badRes.json()) as { error: string }).error
    expect(error).toMatch(/^malformed batch: /)
    expect(error).toContain('ts')
    expect(goodRes.status).toBe(200)
    expect(await goodRes.json()).toMatchObject({ accepted: 1, alerts: 1 })
    const rows = await db().select().from(alerts).where(eq(alerts.tenantId, a.tenant.id))
    expect(rows.map((r) => r.title.en)).toEqual([expect.stringContaining('good.onion.to')])
  })

  it('computes the flows a wire v2 batch leaves to the edge, and keeps the ones it sends', async () => {
    const a = await makeCustomer()
    const [hit, plain] = [dnsEvent('derived.onion.to', TOR), dnsEvent('plain.example')]
    const v2 = JSON.parse(wireBatch([hit, plain])) as {
      v: number
      groups: { cols: { flow: unknown[] } }[]
    }
    v2.v = 2
    ;(v2.groups[0] as { cols: { flow: unknown[] } }).cols.flow[0] = 17
    const res = await ingest(await gzip(JSON.stringify(v2)), { token: a.sensor.token })
    expect(await res.json()).toMatchObject({ accepted: 2, alerts: 1 })
    const rows = await db().select().from(alerts).where(eq(alerts.tenantId, a.tenant.id))
    expect(rows.map((r) => r.flow)).toEqual([
      communityIdV1(hit.src.ip, hit.dst.ip, 17, hit.src.port, hit.dst.port),
    ])
  })

  it('answers 415 naming the versions it reads to a batch of a newer wire version', async () => {
    const a = await makeCustomer()
    const res = await ingest(await gzip('{"v":3,"n":0,"groups":[]}'), { token: a.sensor.token })
    expect(res.status).toBe(415)
    const error = ((await res.json()) as { error: string }).error
    expect(error).toContain('unknown wire version 3')
    expect(error).toContain('1 and 2')
  })

  it('says what is wrong with bodies that are not batches', async () => {
    const a = await makeCustomer()
    const notJson = await ingest(await gzip('not json'), { token: a.sensor.token })
    expect(notJson.status).toBe(400)
    const badGzip = new Uint8Array([0x1f, 0x8b, 1, 2, 3])
    const res = await ingest(badGzip, { token: a.sensor.token })
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'body is not valid gzip' })
    const noSeq = await ingest(await gzip(wireBatch([])), {
      token: a.sensor.token,
      headers: { 'X-Socbox-Seq': 'x' },
    })
    expect(noSeq.status).toBe(400)
    expect(((await noSeq.json()) as { error: string }).error).toContain('X-Socbox-Seq')
  })

  it('answers 401 to a wrong, malformed or missing sensor credential', async () => {
    const a = await makeCustomer()
    const body = await gzip(wireBatch([dnsEvent('x.onion.to', TOR)]))
    const wrongSecret = `${a.sensor.token.slice(0, -4)}AAAA`
    for (const token of [wrongSecret, 'sbs1.nope', a.apiToken, '']) {
      const res = await ingest(body, { token })
      expect(res.status, token).toBe(401)
    }
    const none = await call('/v1/ingest', { method: 'POST', body })
    expect(none.status).toBe(401)
    expect(none.headers.get('WWW-Authenticate')).toContain('Bearer')
    const rows = await db().select().from(alerts).where(eq(alerts.tenantId, a.tenant.id))
    expect(rows).toHaveLength(0)
  })

  it('refuses a disabled sensor', async () => {
    const a = await makeCustomer()
    await db().update(sensors).set({ disabledAt: Date.now() }).where(eq(sensors.id, a.sensor.id))
    const res = await ingest(await gzip(wireBatch([])), { token: a.sensor.token })
    expect(res.status).toBe(401)
  })

  it('archives each accepted batch in R2 under tenant, sensor and hour', async () => {
    const a = await makeCustomer()
    const body = await gzip(wireBatch([dnsEvent('archived.example')]))
    await ingest(body, { token: a.sensor.token, boot: 'b-arch', seq: 7 })
    const listed = await env.ARCHIVE.list({ prefix: `batches/${a.tenant.id}/${a.sensor.id}/` })
    expect(listed.objects).toHaveLength(1)
    expect(listed.objects[0]?.key).toMatch(
      /\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/b-arch-0000000007\.json\.gz$/,
    )
    const stored = await env.ARCHIVE.get(listed.objects[0]?.key ?? '')
    expect(new Uint8Array((await stored?.arrayBuffer()) ?? new ArrayBuffer(0))).toEqual(body)
  })

  it('stores many alerts of one batch across several multi-row inserts', async () => {
    const a = await makeCustomer()
    const events = Array.from({ length: 30 }, (_, i) => dnsEvent(`h${i}.onion.to`, TOR))
    const res = await ingest(await gzip(wireBatch(events)), { token: a.sensor.token, boot: 'many' })
    expect(await res.json()).toMatchObject({ accepted: 30, alerts: 30 })
    const rows = await db().select().from(alerts).where(eq(alerts.tenantId, a.tenant.id))
    expect(new Set(rows.map((r) => r.dedupKey)).size).toBe(30)
  })

  it('refuses a body over the wire limit and a gzip bomb with 413', async () => {
    const a = await makeCustomer()
    const huge = new Uint8Array(4 * 1024 * 1024 + 1)
    const tooBig = await ingest(huge, { token: a.sensor.token, boot: 'big' })
    expect(tooBig.status).toBe(413)
    // 70 MB of zeros gzips to about 70 KB: small on the wire, over the inflated limit.
    const bomb = await gzip(new Uint8Array(70 * 1024 * 1024))
    expect(bomb.byteLength).toBeLessThan(200 * 1024)
    const res = await ingest(bomb, { token: a.sensor.token, boot: 'bomb' })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { error: string }).error).toContain('inflated batch')
  })
})
