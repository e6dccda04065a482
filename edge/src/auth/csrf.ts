/**
 * CSRF protection for portal forms, in two layers:
 * 1. every state-changing form carries `_csrf`, which must equal the session's CSRF token (or,
 *    for the login form, where no session exists yet, a random value also set in a
 *    SameSite=Strict cookie: the double-submit pattern);
 * 2. hono's `csrf()` middleware (mounted in app.ts) rejects form posts from another Origin.
 */
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { HTTPException } from 'hono/http-exception'
import { randomBytes, timingSafeEqual } from '../crypto/digest.ts'
import { toBase64Url } from '../crypto/encoding.ts'
import type { AppEnv } from '../env.ts'

export const CSRF_FIELD = '_csrf'
export const LOGIN_CSRF_COOKIE = 'sb_login_csrf'

function reject(): never {
  throw new HTTPException(403, { message: 'invalid or missing CSRF token; reload the page' })
}

export function checkCsrf(expected: string | undefined, presented: unknown): void {
  if (!expected || typeof presented !== 'string' || !timingSafeEqual(expected, presented)) {
    reject()
  }
}

/**
 * The login form's token and its cookie twin. An existing cookie is kept, so two open login
 * tabs, or a form re-shown after a failed attempt, stay valid.
 */
export function issueLoginCsrf(c: Context<AppEnv>): string {
  const existing = getCookie(c, LOGIN_CSRF_COOKIE)
  const token =
    existing && /^[A-Za-z0-9_-]{43}$/.test(existing) ? existing : toBase64Url(randomBytes(32))
  setCookie(c, LOGIN_CSRF_COOKIE, token, {
    httpOnly: true,
    secure: new URL(c.req.url).protocol === 'https:',
    sameSite: 'Strict',
    path: '/login',
    maxAge: 60 * 60,
  })
  return token
}

export function checkLoginCsrf(c: Context<AppEnv>, presented: unknown): void {
  checkCsrf(getCookie(c, LOGIN_CSRF_COOKIE), presented)
}
