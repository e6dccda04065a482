/**
 * Bearer credentials of the form `<prefix>.<id>.<secret>`:
 *   `sbs1.<sensorId>.<secret>`  sensor credential (ingest, heartbeats)
 *   `sbt1.<tokenId>.<secret>`   API token of a portal user
 * The id lets the edge find the row without scanning; only SHA-256(secret) is stored, so a
 * database reader cannot present the credential. The secret is 32 random bytes (base64url).
 */
import { randomBytes, sha256Hex } from './digest.ts'
import { toBase64Url, toHex } from './encoding.ts'

export const SENSOR_PREFIX = 'sbs1'
export const API_TOKEN_PREFIX = 'sbt1'
export type CredentialPrefix = typeof SENSOR_PREFIX | typeof API_TOKEN_PREFIX

export type Credential = { id: string; secret: string }
export type IssuedCredential = Credential & { token: string; secretHash: string }

const ID_PATTERN = /^[a-z0-9_-]{3,64}$/
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/

/** A fresh random id such as `sen_3f9a…` (16 hex digits after the kind). */
export function newId(kind: string): string {
  return `${kind}_${toHex(randomBytes(8))}`
}

export async function issueCredential(
  prefix: CredentialPrefix,
  id: string,
): Promise<IssuedCredential> {
  const secret = toBase64Url(randomBytes(32))
  return { id, secret, token: `${prefix}.${id}.${secret}`, secretHash: await sha256Hex(secret) }
}

/** Splits a presented token; null when it is not of the expected kind and shape. */
export function parseCredential(prefix: CredentialPrefix, token: string): Credential | null {
  const parts = token.split('.')
  if (parts.length !== 3 || parts[0] !== prefix) return null
  const [, id, secret] = parts as [string, string, string]
  if (!ID_PATTERN.test(id) || !SECRET_PATTERN.test(secret)) return null
  return { id, secret }
}
