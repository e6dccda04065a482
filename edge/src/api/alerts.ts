/**
 * `GET /api/v1/alerts` and `GET /api/v1/alerts/:id`: alerts as JSON for the signed-in user
 * (session cookie) or an API token, always limited to the tenants the principal may see.
 *
 * Query: `severity` (comma list), `status` (comma list of new, ack, closed; `open` = new,ack), `class`, `since` (ms or ISO 8601), `before` (paging cursor,
 * the `next` of the previous page), `limit` (1–200, default 50).
 *
 * `PATCH /api/v1/alerts/:id` with JSON `{status: "new" | "ack" | "closed"}` triages an alert
 * (not for viewers). JSON only: a cross-site page cannot send it without a CORS preflight,
 * which this API never grants, so session callers need no CSRF token here.
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { type AlertFilter, getAlert, listAlerts } from '../alerts/query.ts'
import { setAlertStatus } from '../alerts/set-status.ts'
import { clientIp } from '../audit/record.ts'
import { authenticate, unauthorizedJson } from '../auth/authenticate.ts'
import { type AlertStatus, alertStatuses, type Severity, severities } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'

export const alertsApi = new Hono<AppEnv>()

alertsApi.use(authenticate({ allowApiToken: true, onMissing: unauthorizedJson }))

function bad(message: string): never {
  throw new HTTPException(400, { message })
}

function parseTime(text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isFinite(value)) bad(`since: expected ms since the epoch or ISO 8601, got "${text}"`)
  return value
}

export function parseAlertFilter(query: Record<string, string | undefined>): AlertFilter {
  const filter: AlertFilter = { limit: 50 }
  if (query.severity) {
    const wanted = query.severity.split(',').map((s) => s.trim())
    for (const s of wanted) {
      if (!(severities as readonly string[]).includes(s)) {
        bad(`severity: "${s}" is not one of ${severities.join(', ')}`)
      }
    }
    filter.severity = wanted as Severity[]
  }
  if (query.status) {
    const wanted = query.status
      .split(',')
      .flatMap((s) => (s.trim() === 'open' ? ['new', 'ack'] : [s.trim()]))
    for (const s of wanted) {
      if (!(alertStatuses as readonly string[]).includes(s)) {
        bad(`status: "${s}" is not one of open, ${alertStatuses.join(', ')}`)
      }
    }
    filter.status = wanted as AlertStatus[]
  }
  if (query.class) filter.class = query.class
  if (query.since) filter.since = parseTime(query.since)
  if (query.before) {
    const before = Number(query.before)
    if (!Number.isSafeInteger(before) || before < 1) bad('before: expected a positive integer')
    filter.before = before
  }
  if (query.limit) {
    const limit = Number(query.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) bad('limit: expected 1 to 200')
    filter.limit = limit
  }
  return filter
}

alertsApi.get('/', async (c) => {
  const filter = parseAlertFilter(c.req.query())
  return c.json(await listAlerts(c.get('db'), c.get('principal'), filter))
})

alertsApi.get('/:id{[0-9]+}', async (c) => {
  const alert = await getAlert(c.get('db'), c.get('principal'), Number(c.req.param('id')))
  if (!alert) throw new HTTPException(404, { message: 'alert not found' })
  return c.json({ alert })
})

alertsApi.patch('/:id{[0-9]+}', async (c) => {
  if (!/^application\/json\b/i.test(c.req.header('Content-Type') ?? '')) {
    throw new HTTPException(415, { message: 'send JSON: Content-Type: application/json' })
  }
  const body = (await c.req.json().catch(() => null)) as { status?: unknown } | null
  const id = Number(c.req.param('id'))
  const ip = clientIp(c.req.raw.headers)
  const row = await setAlertStatus(c.get('db'), c.get('principal'), id, body?.status, ip)
  return c.json({ alert: row })
})
