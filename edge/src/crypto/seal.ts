/**
 * Encryption at rest for small secrets (sensors' signing keys) under a Worker secret:
 * AES-256-GCM with a random 96-bit IV, the row's id as associated data (a sealed value copied
 * to another row does not open), stored as `v1.<iv b64url>.<ciphertext b64url>`.
 */
import { fromBase64Url, toBase64Url, utf8 } from './encoding.ts'

export class SealError extends Error {
  override name = 'SealError'
}

async function importSealingKey(keyBase64: string): Promise<CryptoKey> {
  const raw = Uint8Array.from(atob(keyBase64), (ch) => ch.charCodeAt(0))
  if (raw.byteLength !== 32) throw new SealError('SEALING_KEY must be 32 bytes, base64-encoded')
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

export async function seal(keyBase64: string, plaintext: Uint8Array, context: string) {
  const key = await importSealingKey(keyBase64)
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: utf8(context) },
    key,
    plaintext,
  )
  return `v1.${toBase64Url(iv)}.${toBase64Url(sealed)}`
}

export async function unseal(keyBase64: string, sealed: string, context: string) {
  const [version, ivText, dataText] = sealed.split('.')
  const iv = fromBase64Url(ivText ?? '')
  const data = fromBase64Url(dataText ?? '')
  if (version !== 'v1' || !iv || !data) throw new SealError('not a sealed value')
  const key = await importSealingKey(keyBase64)
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData: utf8(context) },
      key,
      data,
    )
    return new Uint8Array(plain)
  } catch (cause) {
    throw new SealError('sealed value does not open with this key and context', { cause })
  }
}
