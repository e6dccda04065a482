/**
 * Signs ingest requests the way the edge verifies them (edge/src/crypto/batch-signature.ts):
 *   X-Socbox-Timestamp: <ms since the epoch>
 *   X-Socbox-Signature: v1=<hex HMAC-SHA256(signing key, "v1\n<ts>\n<sensor>\n<boot>\n<seq>\n" + body)>
 * The signing key is HMAC-SHA256(key = the credential's secret, data = "socbox-sign-v1"), so the
 * one credential string issued at registration (`sbs1.<sensor>.<secret>`) is all a sensor needs.
 * A fresh timestamp per attempt keeps long retries inside the edge's replay window.
 */
import { createHmac } from 'node:crypto'

export type BatchSigner = { sensorId: string; key: Buffer }

const ID = /^[a-z0-9_-]{3,64}$/
const SECRET = /^[A-Za-z0-9_-]{43}$/

/** A signer for a sensor credential; null for a token of another shape (it is sent unsigned). */
export function signerForToken(token: string): BatchSigner | null {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== 'sbs1') return null
  const [, sensorId, secret] = parts as [string, string, string]
  if (!ID.test(sensorId) || !SECRET.test(secret)) return null
  return { sensorId, key: createHmac('sha256', secret).update('socbox-sign-v1').digest() }
}

export function signatureHeaders(
  signer: BatchSigner,
  meta: { boot: string; seq: number },
  body: Uint8Array,
  now: number,
): Record<string, string> {
  const mac = createHmac('sha256', signer.key)
    .update(`v1\n${now}\n${signer.sensorId}\n${meta.boot}\n${meta.seq}\n`)
    .update(body)
    .digest('hex')
  return { 'x-socbox-timestamp': String(now), 'x-socbox-signature': `v1=${mac}` }
}

/**
 * What every request of a sensor carries (ingest and heartbeat alike): the credential, the
 * boot and sequence it speaks for and, for a sensor credential, the signature over the body.
 */
export function sensorRequestHeaders(
  token: string,
  signer: BatchSigner | null,
  meta: { boot: string; seq: number },
  body: Uint8Array,
  now: number,
): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'x-socbox-boot': meta.boot,
    'x-socbox-seq': String(meta.seq),
    ...(signer ? signatureHeaders(signer, meta, body, now) : {}),
  }
}
