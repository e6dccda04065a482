/** Deletes sessions past their expiry, so the table holds only usable ones. */
import { lte } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { sessions } from '../db/schema.ts'

export async function expireSessions(db: Database, now = Date.now()) {
  await db.delete(sessions).where(lte(sessions.expiresAt, now))
}
