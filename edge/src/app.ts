/** The Hono application: middleware shared by every route, then the route groups. */
import { Hono } from 'hono'
import { alertsApi } from './api/alerts.ts'
import { sensorsApi } from './api/sensors.ts'
import { settingsApi } from './api/settings.ts'
import { openDatabase } from './db/client.ts'
import type { AppEnv } from './env.ts'
import { heartbeatRoute } from './health/route.ts'
import { errorResponse } from './http/error-response.ts'
import { securityHeaders } from './http/security-headers.ts'
import { defaultPack } from './ingest/engine.ts'
import { ingest } from './ingest/route.ts'
import { packRoute } from './pack/route.ts'
import { portal } from './portal/routes.ts'

export const app = new Hono<AppEnv>()

app.onError(errorResponse)
app.use(securityHeaders)
app.use(async function database(c, next) {
  c.set('db', openDatabase(c.env.DB))
  await next()
})

app.get('/healthz', async (c) => {
  // A round trip to D1 proves the binding and the schema, not just that the isolate runs.
  const row = await c.env.DB.prepare('SELECT count(*) AS n FROM d1_migrations').first<{
    n: number
  }>()
  return c.json({ ok: true, migrations: row?.n ?? 0, pack: defaultPack.version })
})

app.route('/v1/ingest', ingest)
app.route('/v1/heartbeat', heartbeatRoute)
app.route('/v1/pack', packRoute)
app.route('/api/v1/alerts', alertsApi)
app.route('/api/v1/sensors', sensorsApi)
app.route('/api/v1/settings', settingsApi)
app.route('/', portal)

app.notFound((c) =>
  c.req.path.startsWith('/api/') || c.req.path.startsWith('/v1/')
    ? c.json({ error: 'not found' }, 404)
    : c.text('not found', 404),
)
