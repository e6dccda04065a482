/**
 * The portal: server-rendered pages. Form posts must come from this origin (hono's csrf()
 * checks Origin / Sec-Fetch-Site) and carry the session's CSRF token (checked per form).
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { authenticate } from '../auth/authenticate.ts'
import type { AppEnv } from '../env.ts'
import { alertPage } from './alert-page.tsx'
import { alertsPage } from './alerts-page.tsx'
import { dashboardPage } from './dashboard-page.tsx'
import { login } from './login.tsx'
import { sensorsPage } from './sensors-page.tsx'
import { settingsPage } from './settings-page.tsx'
import { portalCss } from './styles.ts'
import { HTMX_VERSION, htmxBase64 } from './vendor/htmx.ts'

export const portal = new Hono<AppEnv>()

portal.use(csrf())
// Portal forms are a few short fields; anything bigger is not from our pages. The site
// variables form carries address lists (up to MAX_SITE_LIST entries each), so it gets more.
const formLimit = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: () => {
      throw new HTTPException(413, { message: 'form too large' })
    },
  })
const shortForm = formLimit(16 * 1024)
const siteForm = formLimit(512 * 1024)
portal.use((c, next) =>
  /^\/settings\/[^/]+\/site$/.test(c.req.path) ? siteForm(c, next) : shortForm(c, next),
)

portal.get('/static/portal.css', (c) => {
  c.header('Cache-Control', 'public, max-age=3600')
  return c.body(portalCss, 200, { 'Content-Type': 'text/css; charset=utf-8' })
})

// Versioned path, so the file can be cached for good and a new htmx gets a new URL.
const htmxBytes = Uint8Array.from(atob(htmxBase64), (ch) => ch.charCodeAt(0))
export const HTMX_PATH = `/static/htmx-${HTMX_VERSION}.min.js`
portal.get(HTMX_PATH, (c) => {
  c.header('Cache-Control', 'public, max-age=31536000, immutable')
  return c.body(htmxBytes, 200, { 'Content-Type': 'text/javascript; charset=utf-8' })
})

// No icon yet; answer browsers' automatic request without a 404 in their console.
portal.get('/favicon.ico', (c) => c.body(null, 204))

portal.route('/', login)

const signedIn = new Hono<AppEnv>()
const requireSession = authenticate({
  allowApiToken: false,
  onMissing: (c) => c.redirect('/login', 303),
})
// Only the portal's own pages: unknown paths fall through to the app's 404.
for (const path of [
  '/',
  '/alerts',
  '/alerts/*',
  '/sensors',
  '/sensors/*',
  '/settings',
  '/settings/*',
]) {
  signedIn.use(path, requireSession)
}
signedIn.route('/', dashboardPage)
signedIn.route('/', alertsPage)
signedIn.route('/', alertPage)
signedIn.route('/', sensorsPage)
signedIn.route('/', settingsPage)

portal.route('/', signedIn)
