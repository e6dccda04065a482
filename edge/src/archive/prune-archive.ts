/**
 * Archive retention: deletes archived batches older than ARCHIVE_RETENTION_DAYS. Keys sort by
 * hour within a sensor's prefix, so each listing starts with the oldest and the walk stops at
 * the first key still inside the retention period. At most `maxDeletes` per run keeps one cron
 * invocation bounded; the next run continues.
 */
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import { hourOfKey, sensorPrefix } from './batch-key.ts'

const DAY_MS = 24 * 60 * 60 * 1000

export async function pruneArchive(
  bucket: R2Bucket,
  db: Database,
  retentionDays: number,
  now: number,
  maxDeletes = 5000,
): Promise<number> {
  if (!Number.isFinite(retentionDays) || retentionDays <= 0) return 0
  const cutoff = now - retentionDays * DAY_MS
  const all = await db.select({ id: sensors.id, tenantId: sensors.tenantId }).from(sensors)
  let deleted = 0
  for (const sensor of all) {
    let cursor: string | undefined
    for (;;) {
      const listing = await bucket.list({
        prefix: sensorPrefix(sensor.tenantId, sensor.id),
        limit: Math.min(1000, maxDeletes - deleted),
        ...(cursor ? { cursor } : {}),
      })
      const expired: string[] = []
      let reachedKept = false
      for (const object of listing.objects) {
        const hour = hourOfKey(object.key)
        // The whole hour must be past the cutoff, so nothing newer than retention is lost.
        if (hour !== null && hour + 3_600_000 <= cutoff) expired.push(object.key)
        else {
          reachedKept = true
          break
        }
      }
      if (expired.length > 0) await bucket.delete(expired)
      deleted += expired.length
      if (deleted >= maxDeletes) return deleted
      if (reachedKept || !listing.truncated) break
      cursor = listing.cursor
    }
  }
  return deleted
}
