/**
 * A tiny cookie-keeping client for portal tests: remembers Set-Cookie values, sends them back,
 * and posts forms with a same-origin Origin header, as a browser would.
 */
import { call, ORIGIN } from './http.ts'

export class Browser {
  readonly cookies = new Map<string, string>()
  /** Set-Cookie lines of the last response, for attribute checks. */
  lastSetCookies: string[] = []

  private remember(res: Response) {
    this.lastSetCookies = res.headers.getSetCookie()
    for (const line of this.lastSetCookies) {
      const [pair = ''] = line.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  private cookieHeader(): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    return cookie ? { Cookie: cookie } : {}
  }

  async get(path: string, headers: Record<string, string> = {}) {
    return this.remember(await call(path, { headers: { ...this.cookieHeader(), ...headers } }))
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
    return this.remember(
      await call(path, {
        method: 'POST',
        body: new URLSearchParams(form),
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: ORIGIN,
          ...this.cookieHeader(),
          ...headers,
        },
      }),
    )
  }

  /** Signs in through the real login form; returns the session's CSRF token from the page. */
  async login(email: string, password: string): Promise<string> {
    const csrf = csrfIn(await (await this.get('/login')).text())
    const res = await this.post('/login', { _csrf: csrf, email, password })
    if (res.status !== 303) throw new Error(`login failed: ${res.status} ${await res.text()}`)
    return csrfIn(await (await this.get('/alerts')).text())
  }
}

export function csrfIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html)
  if (!match?.[1]) throw new Error('no CSRF field on the page')
  return match[1]
}
