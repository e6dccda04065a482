/**
 * The HMAC key a sensor signs its batches with, derived from the secret of its one credential
 * string (`sbs1.<sensor>.<secret>`): HMAC-SHA256(key = UTF-8 secret, data = "socbox-sign-v1").
 * The agent derives it the same way, so registration hands out a single string, and the key
 * is distinct from what the database stores about the secret (its SHA-256).
 */
import { utf8 } from './encoding.ts'

export const SIGNING_KEY_LABEL = 'socbox-sign-v1'

export async function deriveSigningKey(secret: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    utf8(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(SIGNING_KEY_LABEL)))
}
