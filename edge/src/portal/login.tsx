/**
 * `GET /login`, `POST /login`, `POST /logout`. Failed sign-ins are throttled per email and per
 * client IP (login-throttle.ts) and audited; an unknown email costs the same PBKDF2 work as a
 * wrong password, and both get the same message.
 */
import { eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { audit, clientIp } from '../audit/record.ts'
import { authenticate } from '../auth/authenticate.ts'
import { CSRF_FIELD, checkCsrf, checkLoginCsrf, issueLoginCsrf } from '../auth/csrf.ts'
import { clearFailures, isThrottled, recordFailure, throttleKeys } from '../auth/login-throttle.ts'
import {
  clearSessionCookie,
  createSession,
  destroySession,
  findSession,
  readSessionCookie,
  setSessionCookie,
} from '../auth/session.ts'
import { sha256Hex } from '../crypto/digest.ts'
import { DECOY_PASSWORD_HASH, verifyPassword } from '../crypto/password.ts'
import { users } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { Layout } from './layout.tsx'
import { localeFor } from './locale.ts'
import { type MessageKey, t } from './messages.ts'

export const login = new Hono<AppEnv>()

// RFC 5321 caps a path at 254 characters; the password cap bounds the PBKDF2 input.
const MAX_EMAIL = 254
const MAX_PASSWORD = 1024

function loginPage(c: Context<AppEnv>, status: 200 | 401 | 429, error?: MessageKey) {
  const locale = localeFor(c)
  const csrf = issueLoginCsrf(c)
  return c.html(
    <Layout locale={locale} title={t(locale, 'login.title')} path="/login">
      <form method="post" action="/login" class="card login">
        <h1>{t(locale, 'login.title')}</h1>
        {error && (
          <p class="error" role="alert">
            {t(locale, error)}
          </p>
        )}
        <input type="hidden" name={CSRF_FIELD} value={csrf} />
        <label for="email">{t(locale, 'login.email')}</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
        <label for="password">{t(locale, 'login.password')}</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
        <p>
          <button type="submit">{t(locale, 'login.submit')}</button>
        </p>
      </form>
    </Layout>,
    status,
  )
}

login.get('/login', async (c) => {
  const token = readSessionCookie(c)
  if (token && (await findSession(c.get('db'), token))) return c.redirect('/alerts', 303)
  return loginPage(c, 200)
})

login.post('/login', async (c) => {
  const db = c.get('db')
  const form = await c.req.parseBody()
  checkLoginCsrf(c, form[CSRF_FIELD])
  const email = String(form.email ?? '')
    .trim()
    .toLowerCase()
    .slice(0, MAX_EMAIL)
  // Longer passwords are cut, not refused, so the answer does not depend on the length.
  const password = String(form.password ?? '').slice(0, MAX_PASSWORD)
  const ip = clientIp(c.req.raw.headers)
  const keys = throttleKeys(email, ip)
  if (await isThrottled(db, keys)) {
    await audit(db, { action: 'login.throttled', target: email, ip })
    return loginPage(c, 429, 'login.throttled')
  }
  const user = await db.select().from(users).where(eq(users.email, email)).get()
  const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_PASSWORD_HASH)
  if (!user || !ok || user.disabledAt !== null) {
    await recordFailure(db, keys)
    await audit(db, { action: 'login.failed', target: email, ip })
    return loginPage(c, 401, 'login.failed')
  }
  await clearFailures(db, email)
  const session = await createSession(db, user.id)
  await audit(db, { action: 'login', actorUserId: user.id, tenantId: user.tenantId, ip })
  setSessionCookie(c, session.token)
  return c.redirect('/alerts', 303)
})

login.post(
  '/logout',
  authenticate({ allowApiToken: false, onMissing: (c) => c.redirect('/login', 303) }),
  async (c) => {
    const db = c.get('db')
    const form = await c.req.parseBody()
    checkCsrf(c.get('csrfToken'), form[CSRF_FIELD])
    const token = readSessionCookie(c)
    if (token) await destroySession(db, await sha256Hex(token))
    const principal = c.get('principal')
    await audit(db, {
      action: 'logout',
      actorUserId: principal.userId,
      tenantId: principal.tenantId,
      ip: clientIp(c.req.raw.headers),
    })
    clearSessionCookie(c)
    return c.redirect('/login', 303)
  },
)
