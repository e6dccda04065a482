/**
 * Password hashing: PBKDF2-HMAC-SHA256 via WebCrypto, the only KDF Workers offer natively.
 * Workers cap PBKDF2 at 100,000 iterations, so that is what we use; the count is stored in the
 * hash so it can be raised later without invalidating old hashes.
 * Format: `pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>`.
 */
import { randomBytes, timingSafeEqual } from './digest.ts'
import { fromBase64Url, toBase64Url, utf8 } from './encoding.ts'

export const PASSWORD_ITERATIONS = 100_000
const SCHEME = 'pbkdf2-sha256'

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', utf8(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  )
  return toBase64Url(bits)
}

export async function hashPassword(
  password: string,
  iterations = PASSWORD_ITERATIONS,
): Promise<string> {
  const salt = randomBytes(16)
  return `${SCHEME}$${iterations}$${toBase64Url(salt)}$${await derive(password, salt, iterations)}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterText, saltText, hash] = stored.split('$')
  const iterations = Number(iterText)
  const salt = fromBase64Url(saltText ?? '')
  if (scheme !== SCHEME || !Number.isInteger(iterations) || iterations < 1 || !salt || !hash) {
    return false
  }
  if (iterations > PASSWORD_ITERATIONS) return false
  return timingSafeEqual(await derive(password, salt, iterations), hash)
}

/**
 * A valid hash of a random password. Login verifies against it when the email is unknown, so an
 * unknown address costs the same time as a wrong password and does not reveal who has an account.
 */
export const DECOY_PASSWORD_HASH =
  'pbkdf2-sha256$100000$c29jYm94LWRlY295LXNhbHQ$2eC7ZQvQm1bX0lqJk5n0m3mS2a3tIuK9oW4yV8dE1fA'
