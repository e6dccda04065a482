import { env } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer } from '../../test/fixtures.ts'
import { ingest } from '../../test/http.ts'
import { dnsEvent, gzip, wireBatch } from '../../test/wire.ts'
import { signBatch } from '../crypto/batch-signature.ts'
import { unseal } from '../crypto/seal.ts'
import { deriveSigningKey } from '../crypto/signing-key.ts'
import { alerts, sensors } from '../db/schema.ts'

type Sensor = { id: string; token: string; secret: string }

async function signedHeaders(
  sensor: Sensor,
  boot: string,
  seq: number,
  body: Uint8Array,
  timestamp = Date.now(),
) {
  const key = await deriveSigningKey(sensor.secret)
  const signature = await signBatch(key, { timestamp, sensorId: sensor.id, boot, seq, body })
  return { 'X-Socbox-Timestamp': String(timestamp), 'X-Socbox-Signature': signature }
}

const body = async (query: string) =>
  gzip(wireBatch([dnsEvent(query, { intelList: 'maltrail.onion', indicator: 'onion.to' })]))

describe('signed ingest', () => {
  it('accepts a signed batch, seals the signing key, and refuses unsigned ones afterwards', async () => {
    const { sensor, tenant } = await makeCustomer()
    const b0 = await body('s0.onion.to')
    const ok = await ingest(b0, {
      token: sensor.token,
      boot: 'sb',
      seq: 0,
      headers: await signedHeaders(sensor, 'sb', 0, b0),
    })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ accepted: 1, alerts: 1, ack: 0 })

    const row = await db().select().from(sensors).where(eq(sensors.id, sensor.id)).get()
    expect(row?.requireSignature).toBe(true)
    expect(row?.signingKeySealed).toMatch(/^v1\./)
    const opened = await unseal(env.SEALING_KEY ?? '', row?.signingKeySealed ?? '', sensor.id)
    expect(opened).toEqual(await deriveSigningKey(sensor.secret))

    const b1 = await body('s1.onion.to')
    const unsigned = await ingest(b1, { token: sensor.token, boot: 'sb', seq: 1 })
    expect(unsigned.status).toBe(401)
    expect(((await unsigned.json()) as { error: string }).error).toContain('unsigned batch')
    const stored = await db().select().from(alerts).where(eq(alerts.tenantId, tenant.id))
    expect(stored).toHaveLength(1)
  })

  it('refuses a wrong signature, a stale timestamp and a body or position that was changed', async () => {
    const { sensor } = await makeCustomer()
    const b = await body('x.onion.to')
    const good = await signedHeaders(sensor, 'sb', 0, b)
    const cases: [string, Uint8Array, number, Record<string, string>][] = [
      [
        'other secret',
        b,
        0,
        await signedHeaders({ ...sensor, secret: 'another-secret' }, 'sb', 0, b),
      ],
      ['stale', b, 0, await signedHeaders(sensor, 'sb', 0, b, Date.now() - 6 * 60_000)],
      ['future', b, 0, await signedHeaders(sensor, 'sb', 0, b, Date.now() + 6 * 60_000)],
      ['changed body', await body('y.onion.to'), 0, good],
      ['changed seq', b, 1, good],
      ['half the headers', b, 0, { 'X-Socbox-Signature': good['X-Socbox-Signature'] }],
    ]
    for (const [label, payload, seq, headers] of cases) {
      const res = await ingest(payload, { token: sensor.token, boot: 'sb', seq, headers })
      expect(res.status, label).toBe(401)
    }
    const row = await db().select().from(sensors).where(eq(sensors.id, sensor.id)).get()
    expect(row?.requireSignature).toBe(false)
  })

  it('answers a replay inside the window as a duplicate with no second effect', async () => {
    const { sensor, tenant } = await makeCustomer()
    const b = await body('replay.onion.to')
    const headers = await signedHeaders(sensor, 'sb', 0, b)
    const first = await ingest(b, { token: sensor.token, boot: 'sb', seq: 0, headers })
    const replay = await ingest(b, { token: sensor.token, boot: 'sb', seq: 0, headers })
    expect(await first.json()).toMatchObject({ duplicate: false, alerts: 1 })
    expect(await replay.json()).toMatchObject({ duplicate: true, alerts: 0, accepted: 0 })
    const stored = await db().select().from(alerts).where(eq(alerts.tenantId, tenant.id))
    expect(stored).toHaveLength(1)
  })
})
