/**
 * Failed-login throttle kept in D1 (shared by every isolate): at most `limit` failures per key in
 * a fixed window. Keys are per email and per client IP, so one attacker cannot lock out a
 * user from everywhere cheaply, and one address cannot spray many accounts.
 */
import { eq, sql } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { loginThrottle } from '../db/schema.ts'

export const THROTTLE_WINDOW_MS = 15 * 60 * 1000
export const EMAIL_FAILURE_LIMIT = 5
export const IP_FAILURE_LIMIT = 20

export type ThrottleKey = { key: string; limit: number }

export function throttleKeys(email: string, ip: string | undefined): ThrottleKey[] {
  const keys = [{ key: `email:${email}`, limit: EMAIL_FAILURE_LIMIT }]
  if (ip) keys.push({ key: `ip:${ip}`, limit: IP_FAILURE_LIMIT })
  return keys
}

export async function isThrottled(db: Database, keys: ThrottleKey[], now = Date.now()) {
  for (const { key, limit } of keys) {
    const row = await db.select().from(loginThrottle).where(eq(loginThrottle.key, key)).get()
    if (row && now - row.windowStart < THROTTLE_WINDOW_MS && row.failures >= limit) return true
  }
  return false
}

/** Counts one failure per key, starting a new window when the old one has passed. */
export async function recordFailure(db: Database, keys: ThrottleKey[], now = Date.now()) {
  const windowFloor = now - THROTTLE_WINDOW_MS
  const [first, ...rest] = keys.map(({ key }) =>
    db
      .insert(loginThrottle)
      .values({ key, failures: 1, windowStart: now })
      .onConflictDoUpdate({
        target: loginThrottle.key,
        set: {
          failures: sql`CASE WHEN ${loginThrottle.windowStart} <= ${windowFloor} THEN 1 ELSE ${loginThrottle.failures} + 1 END`,
          windowStart: sql`CASE WHEN ${loginThrottle.windowStart} <= ${windowFloor} THEN ${now} ELSE ${loginThrottle.windowStart} END`,
        },
      }),
  )
  if (first) await db.batch([first, ...rest])
}

/** A successful login clears the per-email counter (the per-IP one keeps counting). */
export async function clearFailures(db: Database, email: string) {
  await db.delete(loginThrottle).where(eq(loginThrottle.key, `email:${email}`))
}
