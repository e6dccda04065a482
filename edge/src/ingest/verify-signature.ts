/**
 * Checks the HMAC signature of an ingest request (format in crypto/batch-signature.ts).
 * - Signed requests must verify and carry a timestamp within ±5 minutes of the edge's clock.
 * - Unsigned requests are refused when REQUIRE_SIGNED_INGEST is "true" or once the sensor has
 *   signed before (no downgrade); otherwise they pass, so older agents keep working.
 * The key comes from D1, sealed under SEALING_KEY; the first time a sensor is seen with a
 * SEALING_KEY configured, the key is derived from the presented (already authenticated) secret
 * and sealed. Without SEALING_KEY the key is derived per request and nothing is stored.
 */
import { eq } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { verifyBatch } from '../crypto/batch-signature.ts'
import { SealError, seal, unseal } from '../crypto/seal.ts'
import { deriveSigningKey } from '../crypto/signing-key.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import type { BatchPosition } from './batch-headers.ts'
import type { AuthenticatedSensor } from './sensor-auth.ts'

export const TIMESTAMP_HEADER = 'X-Socbox-Timestamp'
export const SIGNATURE_HEADER = 'X-Socbox-Signature'
export const REPLAY_WINDOW_MS = 5 * 60 * 1000

function reject(message: string): never {
  throw new HTTPException(401, { message })
}

async function signingKeyFor(env: Env, db: Database, sensor: AuthenticatedSensor) {
  if (env.SEALING_KEY && sensor.signingKeySealed) {
    try {
      return await unseal(env.SEALING_KEY, sensor.signingKeySealed, sensor.id)
    } catch (err) {
      // A rotated SEALING_KEY: the secret was just authenticated, so re-derive and re-seal.
      if (!(err instanceof SealError)) throw err
      console.warn(`sensor ${sensor.id}: sealed signing key does not open; resealing`)
    }
  }
  const key = await deriveSigningKey(sensor.secret)
  if (env.SEALING_KEY) {
    const sealed = await seal(env.SEALING_KEY, key, sensor.id)
    await db.update(sensors).set({ signingKeySealed: sealed }).where(eq(sensors.id, sensor.id))
  }
  return key
}

export async function verifyIngestSignature(input: {
  env: Env
  db: Database
  sensor: AuthenticatedSensor
  position: BatchPosition
  headers: Headers
  body: Uint8Array
  now?: number
}): Promise<{ signed: boolean }> {
  const { env, db, sensor, position, headers } = input
  const now = input.now ?? Date.now()
  const timestampText = headers.get(TIMESTAMP_HEADER)
  const signature = headers.get(SIGNATURE_HEADER)
  if (timestampText === null && signature === null) {
    if (sensor.requireSignature || env.REQUIRE_SIGNED_INGEST === 'true') {
      reject(`unsigned batch: this sensor must send ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER}`)
    }
    return { signed: false }
  }
  if (timestampText === null || signature === null) {
    reject(`${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} must be sent together`)
  }
  const timestamp = Number(timestampText)
  if (!/^\d{1,16}$/.test(timestampText) || !Number.isSafeInteger(timestamp)) {
    reject(`${TIMESTAMP_HEADER} must be milliseconds since the epoch`)
  }
  if (Math.abs(now - timestamp) > REPLAY_WINDOW_MS) {
    reject(
      `${TIMESTAMP_HEADER} is outside the replay window (±${REPLAY_WINDOW_MS / 1000} s); check the sensor clock`,
    )
  }
  const key = await signingKeyFor(env, db, sensor)
  const parts = { timestamp, sensorId: sensor.id, ...position, body: input.body }
  if (!(await verifyBatch(key, parts, signature))) reject('batch signature does not verify')
  if (!sensor.requireSignature) {
    await db.update(sensors).set({ requireSignature: true }).where(eq(sensors.id, sensor.id))
  }
  return { signed: true }
}
