import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { Browser, csrfIn } from '../../test/browser.ts'
import { db, makeCustomer, makeUser } from '../../test/fixtures.ts'
import { sha256Hex } from '../crypto/digest.ts'
import { auditLog, sessions } from '../db/schema.ts'

describe('portal sign-in', () => {
  it('signs in with the real PBKDF2 hash and sets a hardened session cookie', async () => {
    const { tenant } = await makeCustomer()
    const user = await makeUser('customer_admin', { tenantId: tenant.id }, { iterations: 100_000 })
    const browser = new Browser()
    const csrf = csrfIn(await (await browser.get('/login')).text())
    const res = await browser.post('/login', {
      _csrf: csrf,
      email: user.email.toUpperCase(),
      password: user.password,
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('Location')).toBe('/alerts')
    const cookie = browser.lastSetCookies.find((c) => c.startsWith('__Host-sb_session='))
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/Secure/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\//)
    expect(cookie).not.toMatch(/Domain=/i)
    // Only a digest of the session token is stored.
    const token = browser.cookies.get('__Host-sb_session') ?? ''
    const rows = await db().select().from(sessions).where(eq(sessions.userId, user.id))
    expect(rows.map((r) => r.tokenHash)).toEqual([await sha256Hex(token)])
    expect((await browser.get('/alerts')).status).toBe(200)
  })

  it('refuses a login post without the form token, with a wrong one, or from another origin', async () => {
    const { admin } = await makeCustomer()
    const browser = new Browser()
    const csrf = csrfIn(await (await browser.get('/login')).text())
    const creds = { email: admin.email, password: admin.password }
    expect((await browser.post('/login', creds)).status).toBe(403)
    expect((await browser.post('/login', { ...creds, _csrf: `${csrf}x` })).status).toBe(403)
    const foreign = await browser.post(
      '/login',
      { ...creds, _csrf: csrf },
      { Origin: 'https://evil.example' },
    )
    expect(foreign.status).toBe(403)
    expect(browser.cookies.has('__Host-sb_session')).toBe(false)
  })

  it('gives the same answer to a wrong password and an unknown email, and audits both', async () => {
    const { admin } = await makeCustomer()
    const browser = new Browser()
    const csrf = csrfIn(await (await browser.get('/login')).text())
    const wrong = await browser.post('/login', {
      _csrf: csrf,
      email: admin.email,
      password: 'nope',
    })
    const unknown = await browser.post('/login', {
      _csrf: csrf,
      email: 'ghost@test.example',
      password: 'nope',
    })
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(await wrong.text()).toContain('The email or password is not correct.')
    expect(await unknown.text()).toContain('The email or password is not correct.')
    const failed = await db().select().from(auditLog).where(eq(auditLog.target, admin.email))
    expect(failed.map((r) => r.action)).toEqual(['login.failed'])
  })

  it('throttles an account after five failures, even for the right password', async () => {
    const { admin } = await makeCustomer()
    const browser = new Browser()
    const csrf = csrfIn(await (await browser.get('/login')).text())
    for (let i = 0; i < 5; i++) {
      const res = await browser.post('/login', {
        _csrf: csrf,
        email: admin.email,
        password: `bad${i}`,
      })
      expect(res.status).toBe(401)
    }
    const blocked = await browser.post('/login', {
      _csrf: csrf,
      email: admin.email,
      password: admin.password,
    })
    expect(blocked.status).toBe(429)
    expect(await blocked.text()).toContain('Too many failed sign-ins')
    expect(browser.cookies.has('__Host-sb_session')).toBe(false)
  })

  it('shows the login page in Japanese for a Japanese browser', async () => {
    const res = await new Browser().get('/login', { 'Accept-Language': 'ja-JP,ja;q=0.9,en;q=0.5' })
    const html = await res.text()
    expect(html).toContain('<html lang="ja">')
    expect(html).toContain('メールアドレス')
  })

  it('sends the security headers', async () => {
    const res = await new Browser().get('/login')
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'")
    expect(res.headers.get('Content-Security-Policy')).toContain("script-src 'self'")
    expect(res.headers.get('Strict-Transport-Security')).toContain('max-age=')
    expect(res.headers.get('X-Frame-Options')).toBe('DENY')
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff')
  })
})

describe('portal sign-out', () => {
  it('needs the session CSRF token, then ends the session for good', async () => {
    const { admin } = await makeCustomer()
    const browser = new Browser()
    const csrf = await browser.login(admin.email, admin.password)
    expect((await browser.post('/logout', {})).status).toBe(403)
    expect((await browser.get('/alerts')).status).toBe(200)

    const stolen = browser.cookies.get('__Host-sb_session') ?? ''
    const out = await browser.post('/logout', { _csrf: csrf })
    expect(out.status).toBe(303)
    expect(out.headers.get('Location')).toBe('/login')
    const after = await browser.get('/alerts')
    expect(after.status).toBe(303)
    expect(after.headers.get('Location')).toBe('/login')
    // A copy of the old cookie is worthless too: the row is gone.
    const replay = await new Browser().get('/alerts', { Cookie: `__Host-sb_session=${stolen}` })
    expect(replay.status).toBe(303)
  })
})

describe('portal forms', () => {
  it('refuses oversized forms before reading them', async () => {
    const browser = new Browser()
    const csrf = csrfIn(await (await browser.get('/login')).text())
    const res = await browser.post('/login', {
      _csrf: csrf,
      email: 'x'.repeat(20_000),
      password: 'y',
    })
    expect(res.status).toBe(413)
  })
})
