/**
 * Browser sessions: a random 32-byte token in an HttpOnly cookie; D1 keeps only its SHA-256,
 * the user, the expiry and the session's CSRF token.
 */
import { and, eq, gt, isNull } from 'drizzle-orm'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { randomBytes, sha256Hex } from '../crypto/digest.ts'
import { toBase64Url } from '../crypto/encoding.ts'
import type { Database } from '../db/client.ts'
import { sessions, users } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { type Principal, principalOf } from './principal.ts'

/**
 * Over https the cookie carries the `__Host-` prefix: browsers then accept it only with
 * Secure, Path=/ and no Domain, so a sibling subdomain cannot plant or shadow a session.
 * Plain-http local development cannot use the prefix and gets the bare name.
 */
export const SESSION_COOKIE = 'sb_session'
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`

function isHttps(c: Context<AppEnv>): boolean {
  return new URL(c.req.url).protocol === 'https:'
}

function cookieName(c: Context<AppEnv>): string {
  return isHttps(c) ? SECURE_SESSION_COOKIE : SESSION_COOKIE
}
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000

export type Session = { principal: Principal; csrfToken: string; tokenHash: string }

export async function createSession(db: Database, userId: string, now = Date.now()) {
  const token = toBase64Url(randomBytes(32))
  const csrfToken = toBase64Url(randomBytes(32))
  await db.insert(sessions).values({
    tokenHash: await sha256Hex(token),
    userId,
    csrfToken,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  })
  return { token, csrfToken }
}

export async function findSession(
  db: Database,
  token: string,
  now = Date.now(),
): Promise<Session | null> {
  const tokenHash = await sha256Hex(token)
  const row = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), isNull(users.disabledAt)),
    )
    .get()
  if (!row) return null
  return { principal: principalOf(row.user), csrfToken: row.session.csrfToken, tokenHash }
}

export async function destroySession(db: Database, tokenHash: string) {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash))
}

/** Secure is set whenever the request came over https, so local http dev still works. */
export function setSessionCookie(c: Context<AppEnv>, token: string) {
  setCookie(c, cookieName(c), token, {
    httpOnly: true,
    secure: isHttps(c),
    sameSite: 'Lax',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  })
}

export function clearSessionCookie(c: Context<AppEnv>) {
  deleteCookie(c, cookieName(c), { path: '/', secure: isHttps(c) })
}

export function readSessionCookie(c: Context<AppEnv>): string | undefined {
  return getCookie(c, cookieName(c))
}
