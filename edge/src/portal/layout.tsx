/** The page frame: header with navigation, language switch and sign-out form. */
import type { Child } from 'hono/jsx'
import { CSRF_FIELD } from '../auth/csrf.ts'
import type { Principal } from '../auth/principal.ts'
import type { Locale } from '../db/schema.ts'
import { t } from './messages.ts'
import { HTMX_VERSION } from './vendor/htmx.ts'

const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  allowScriptTags: false,
  selfRequestsOnly: true,
})

type Props = {
  locale: Locale
  title: string
  /** Path of this page, for the language switch link. */
  path: string
  principal?: Principal | undefined
  csrfToken?: string | undefined
  children: Child
}

export function Layout({ locale, title, path, principal, csrfToken, children }: Props) {
  const other: Locale = locale === 'en' ? 'ja' : 'en'
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t(locale, 'app.name')}`}</title>
        <link rel="stylesheet" href="/static/portal.css" />
        {/* htmx enhances forms in place; everything also works without it. Its inline
            indicator styles and eval are off, matching the CSP. */}
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <script src={`/static/htmx-${HTMX_VERSION}.min.js`} defer />
      </head>
      <body>
        <header>
          <a class="brand" href="/">
            {t(locale, 'app.name')}
          </a>
          <span class="tagline">{t(locale, 'app.tagline')}</span>
          <nav>
            {principal && <a href="/">{t(locale, 'nav.dashboard')}</a>}
            {principal && <a href="/alerts">{t(locale, 'nav.alerts')}</a>}
            {principal && <a href="/sensors">{t(locale, 'nav.devices')}</a>}
            {principal && <a href="/settings">{t(locale, 'nav.settings')}</a>}
            <a href={`${path}?lang=${other}`} lang={other} hreflang={other}>
              {t(locale, 'nav.language')}
            </a>
            {principal && csrfToken && (
              <form method="post" action="/logout" class="inline">
                <span class="who">
                  {t(locale, 'nav.signedInAs')} {principal.email}
                </span>
                <input type="hidden" name={CSRF_FIELD} value={csrfToken} />
                <button type="submit">{t(locale, 'nav.logout')}</button>
              </form>
            )}
          </nav>
        </header>
        <main>{children}</main>
        <footer>{t(locale, 'time.note')}</footer>
      </body>
    </html>
  )
}
