import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { db, makeCustomer } from '../../test/fixtures.ts'
import { batchKey, hourOfKey, sensorPrefix } from './batch-key.ts'
import { pruneArchive } from './prune-archive.ts'

const DAY = 24 * 3_600_000

describe('archive keys', () => {
  it('name tenant, sensor, UTC hour, boot and zero-padded seq', () => {
    const at = Date.UTC(2026, 10, 27, 8, 59, 59)
    const key = batchKey('ten_a', 'sen_b', at, 'boot1', 42)
    expect(key).toBe('batches/ten_a/sen_b/2026/11/27/08/boot1-0000000042.json.gz')
    expect(hourOfKey(key)).toBe(Date.UTC(2026, 10, 27, 8))
    expect(hourOfKey('batches/x/y/not-a-key')).toBeNull()
  })
})

describe('pruneArchive', () => {
  it('deletes batches past retention and keeps the rest', async () => {
    const { tenant, sensor } = await makeCustomer()
    const now = Date.UTC(2026, 10, 27, 12)
    const ages = [100, 91, 90.1, 89, 1]
    for (const [i, age] of ages.entries()) {
      await env.ARCHIVE.put(batchKey(tenant.id, sensor.id, now - age * DAY, 'b', i), 'x')
    }
    const deleted = await pruneArchive(env.ARCHIVE, db(), 90, now)
    expect(deleted).toBe(3)
    const left = await env.ARCHIVE.list({ prefix: sensorPrefix(tenant.id, sensor.id) })
    expect(left.objects.map((o) => o.key.split('-').at(-1))).toEqual([
      '0000000003.json.gz',
      '0000000004.json.gz',
    ])
  })

  it('stops at the per-run bound', async () => {
    const { tenant, sensor } = await makeCustomer()
    const now = Date.UTC(2026, 10, 27, 12)
    for (let i = 0; i < 5; i++)
      await env.ARCHIVE.put(batchKey(tenant.id, sensor.id, now - 200 * DAY, 'b', i), 'x')
    expect(await pruneArchive(env.ARCHIVE, db(), 90, now, 2)).toBe(2)
    const left = await env.ARCHIVE.list({ prefix: sensorPrefix(tenant.id, sensor.id) })
    expect(left.objects).toHaveLength(3)
  })
})
