/** The cron trigger (every 5 minutes, see wrangler.toml): liveness and housekeeping. */
import { openDatabase } from '../db/client.ts'
import type { Env } from '../env.ts'
import { expireSessions } from './expire-sessions.ts'
import { markOfflineSensors } from './mark-offline-sensors.ts'

export async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const db = openDatabase(env.DB)
  const now = controller.scheduledTime
  const offline = await markOfflineSensors(env, db, now)
  await expireSessions(db, now)
  if (offline.offline.length > 0) {
    console.log(`cron: ${offline.offline.length} sensor(s) offline, ${offline.alerts} alert(s)`)
  }
}
