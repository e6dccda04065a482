/**
 * `POST /v1/ingest`: one gzipped wire batch from one sensor.
 *
 * Headers: `Authorization: Bearer sbs1.<sensor>.<secret>`, `X-Socbox-Boot`, `X-Socbox-Seq`,
 * and (see verify-signature.ts) `X-Socbox-Timestamp` + `X-Socbox-Signature`.
 * The Worker authenticates, reads and decodes the batch (so a malformed one is refused here
 * with 400 and the decoder's message); the sensor's SensorHub then handles it in order and
 * exactly once. Answers 200 `{accepted, alerts, ack, duplicate, gaps}` where `ack` is the
 * highest contiguous seq of this boot that is durably handled (-1 when none is yet);
 * 401 for a bad credential; 413 for a body over the limits; 415 for a wire version this edge
 * does not read (a sensor newer than its edge: the agent stops and keeps its spool until the
 * edge is updated); 503 + Retry-After when the sensor's hub is overloaded.
 */
import { decodeBatch, type SocEvent, WireError } from '@socbox/dsl/runtime'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../env.ts'
import { BOOT_HEADER, readBatchPosition, SEQ_HEADER } from './batch-headers.ts'
import { readBatchBody } from './read-body.ts'
import { authenticateSensor } from './sensor-auth.ts'
import { verifyIngestSignature } from './verify-signature.ts'

export const ingest = new Hono<AppEnv>()

export function decodeOrReject(batch: Uint8Array): SocEvent[] {
  try {
    return decodeBatch(batch)
  } catch (err) {
    if (err instanceof WireError && err.unsupportedVersion) {
      throw new HTTPException(415, { message: err.message, cause: err })
    }
    if (err instanceof WireError || err instanceof SyntaxError) {
      throw new HTTPException(400, { message: `malformed batch: ${err.message}`, cause: err })
    }
    throw err
  }
}

ingest.post('/', async (c) => {
  const db = c.get('db')
  const sensor = await authenticateSensor(db, c.req.header('Authorization'))
  const position = readBatchPosition(c.req.raw.headers)
  const { wire, batch } = await readBatchBody(c.req.raw)
  await verifyIngestSignature({
    env: c.env,
    db,
    sensor,
    position,
    headers: c.req.raw.headers,
    body: wire,
  })
  const events = decodeOrReject(batch)
  const hub = c.env.SENSOR_HUB.get(c.env.SENSOR_HUB.idFromName(sensor.id))
  const result = await hub.accept({
    sensor: { id: sensor.id, tenantId: sensor.tenantId, name: sensor.name },
    boot: position.boot,
    seq: position.seq,
    events,
    wire,
  })
  if (result.status === 'overloaded') {
    throw new HTTPException(503, {
      message: 'sensor hub overloaded; retry later',
      res: new Response(null, { headers: { 'Retry-After': String(result.retryAfterS) } }),
    })
  }
  c.header(BOOT_HEADER, position.boot)
  c.header(SEQ_HEADER, String(result.ack))
  return c.json({
    accepted: result.accepted,
    alerts: result.alerts,
    ack: result.ack,
    duplicate: result.status === 'duplicate',
    gaps: result.gaps,
  })
})
