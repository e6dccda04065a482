/**
 * Which language a page is shown in: an explicit `?lang=` wins (and is remembered in a cookie),
 * then that cookie, then the signed-in user's setting, then the browser's Accept-Language,
 * then English.
 */
import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { type Locale, locales } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'

export const LANG_COOKIE = 'sb_lang'

function asLocale(value: string | undefined | null): Locale | undefined {
  return (locales as readonly string[]).includes(value ?? '') ? (value as Locale) : undefined
}

/** The first supported language in an Accept-Language header, by q-value then order. */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';')
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean)
      return { lang: tag.trim().toLowerCase().split('-')[0], q: q ? Number(q) : 1, index }
    })
    .filter((r) => r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  for (const r of ranked) {
    const locale = asLocale(r.lang)
    if (locale) return locale
  }
  return undefined
}

export function chooseLocale(input: {
  query?: string | undefined
  cookie?: string | undefined
  user?: Locale | undefined
  acceptLanguage?: string | undefined
}): Locale {
  return (
    asLocale(input.query) ??
    asLocale(input.cookie) ??
    input.user ??
    fromAcceptLanguage(input.acceptLanguage) ??
    'en'
  )
}

export function localeFor(c: Context<AppEnv>): Locale {
  const query = asLocale(c.req.query('lang'))
  if (query) {
    setCookie(c, LANG_COOKIE, query, {
      path: '/',
      sameSite: 'Lax',
      httpOnly: true,
      maxAge: 365 * 24 * 3600,
    })
  }
  return chooseLocale({
    query,
    cookie: getCookie(c, LANG_COOKIE),
    user: c.get('principal')?.locale,
    acceptLanguage: c.req.header('Accept-Language'),
  })
}
