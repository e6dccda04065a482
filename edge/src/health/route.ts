/**
 * `POST /v1/heartbeat`: a sensor's health (JSON, fields in heartbeat.ts), authenticated and
 * signed exactly like ingest (`X-Socbox-Boot` and `X-Socbox-Seq` number the heartbeats of a
 * boot, so a replayed one is recognised as stale). The sensor's SensorHub keeps it.
 * Answers `{status: 'accepted' | 'stale', alerts}`.
 */
import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { tenants } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { readBatchPosition } from '../ingest/batch-headers.ts'
import { readBatchBody } from '../ingest/read-body.ts'
import { authenticateSensor } from '../ingest/sensor-auth.ts'
import { verifyIngestSignature } from '../ingest/verify-signature.ts'
import { parseHeartbeat } from './heartbeat.ts'

export const heartbeatRoute = new Hono<AppEnv>()

const LIMITS = { maxWireBytes: 16 * 1024, maxJsonBytes: 64 * 1024 }

heartbeatRoute.post('/', async (c) => {
  const db = c.get('db')
  const sensor = await authenticateSensor(db, c.req.header('Authorization'))
  const position = readBatchPosition(c.req.raw.headers)
  const { wire, batch } = await readBatchBody(c.req.raw, LIMITS)
  await verifyIngestSignature({
    env: c.env,
    db,
    sensor,
    position,
    headers: c.req.raw.headers,
    body: wire,
  })
  let body: unknown
  try {
    body = JSON.parse(new TextDecoder().decode(batch))
  } catch {
    throw new HTTPException(400, { message: 'heartbeat: body is not JSON' })
  }
  const health = parseHeartbeat(body)
  const limits = await db
    .select({
      bandwidthLimitBps: tenants.bandwidthLimitBps,
      endpointLimit: tenants.endpointLimit,
      dropRateLimit: tenants.dropRateLimit,
      sustainedS: tenants.bandwidthSustainedS,
      offlineMissed: tenants.offlineMissedHeartbeats,
    })
    .from(tenants)
    .where(eq(tenants.id, sensor.tenantId))
    .get()
  if (!limits) throw new HTTPException(401, { message: 'sensor has no tenant' })
  const hub = c.env.SENSOR_HUB.get(c.env.SENSOR_HUB.idFromName(sensor.id))
  const result = await hub.heartbeat({
    sensor: { id: sensor.id, tenantId: sensor.tenantId, name: sensor.name },
    ...position,
    health,
    limits,
  })
  return c.json({ status: result.status, alerts: result.status === 'accepted' ? result.alerts : 0 })
})
