/**
 * The cron trigger (every 5 minutes, see wrangler.toml): sensor liveness, expired sessions,
 * intel feed health and archive retention.
 */
import { pruneArchive } from '../archive/prune-archive.ts'
import { openDatabase } from '../db/client.ts'
import type { Env } from '../env.ts'
import { raiseFeedAlerts } from '../feeds/raise-feed-alerts.ts'
import { expireSessions } from './expire-sessions.ts'
import { markOfflineSensors } from './mark-offline-sensors.ts'

export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const db = openDatabase(env.DB)
  const now = controller.scheduledTime
  const offline = await markOfflineSensors(env, db, now)
  await expireSessions(db, now)
  await raiseFeedAlerts(env, db, now)
  const pruned = await pruneArchive(env.ARCHIVE, db, Number(env.ARCHIVE_RETENTION_DAYS), now)
  if (pruned > 0) console.log(`cron: ${pruned} archived batch(es) past retention deleted`)
  if (offline.offline.length > 0) {
    console.log(`cron: ${offline.offline.length} sensor(s) offline, ${offline.alerts} alert(s)`)
  }
}
