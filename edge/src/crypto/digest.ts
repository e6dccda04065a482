/** SHA-256 digests and constant-time comparison for stored secrets. */
import { toHex, utf8 } from './encoding.ts'

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', utf8(text)))
}

/**
 * Compares two strings without an early exit, so the time taken does not reveal how many
 * leading characters matched. Lengths are not secret here (all compared values are digests or
 * tokens of a fixed format).
 */
export function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n))
}
