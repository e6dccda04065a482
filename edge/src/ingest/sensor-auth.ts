/**
 * Sensor authentication: `Authorization: Bearer sbs1.<sensorId>.<secret>`. The sensor row is
 * found by id and SHA-256(secret) is compared in constant time with the stored hash. Every
 * failure answers the same 401, so a caller learns nothing about which part was wrong.
 */
import { eq } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { parseCredential, SENSOR_PREFIX } from '../crypto/credential.ts'
import { sha256Hex, timingSafeEqual } from '../crypto/digest.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'

export type AuthenticatedSensor = {
  id: string
  tenantId: string
  name: string
  /** The secret part of the presented credential (signing keys derive from it). */
  secret: string
  signingKeySealed: string | null
  requireSignature: boolean
}

function unauthorized(): never {
  throw new HTTPException(401, {
    message: 'invalid sensor credential (expected Authorization: Bearer sbs1.<sensor>.<secret>)',
    res: new Response(null, { headers: { 'WWW-Authenticate': 'Bearer realm="socbox-ingest"' } }),
  })
}

export async function authenticateSensor(
  db: Database,
  authorization: string | undefined,
): Promise<AuthenticatedSensor> {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')
  const credential = match?.[1] ? parseCredential(SENSOR_PREFIX, match[1]) : null
  if (!credential) unauthorized()
  const row = await db
    .select({
      id: sensors.id,
      tenantId: sensors.tenantId,
      name: sensors.name,
      tokenHash: sensors.tokenHash,
      signingKeySealed: sensors.signingKeySealed,
      requireSignature: sensors.requireSignature,
      disabledAt: sensors.disabledAt,
    })
    .from(sensors)
    .where(eq(sensors.id, credential.id))
    .get()
  const presentedHash = await sha256Hex(credential.secret)
  if (!row || row.disabledAt !== null || !timingSafeEqual(presentedHash, row.tokenHash)) {
    unauthorized()
  }
  return {
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    secret: credential.secret,
    signingKeySealed: row.signingKeySealed,
    requireSignature: row.requireSignature,
  }
}
