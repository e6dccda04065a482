// Hashes arrive as upper/lowercase hex, sometimes colon-separated (Suricata's
// tls_cert_fingerprint). One spelling: lowercase hex, and the length must fit a known algorithm.
import { fail, ok, type Result } from '../model/result.ts'

export const HASH_ALGORITHM_BY_LENGTH: Readonly<Record<number, string>> = {
  32: 'md5',
  40: 'sha1',
  64: 'sha256',
  128: 'sha512',
}

export function normaliseHash(raw: string): Result<string> {
  const hex = raw.trim().replace(/:/g, '').toLowerCase()
  if (!/^[0-9a-f]+$/.test(hex)) return fail('not hexadecimal')
  if (!HASH_ALGORITHM_BY_LENGTH[hex.length])
    return fail(`no hash algorithm has ${hex.length} hex digits`)
  return ok(hex)
}

/** JA3 is the MD5 of the ClientHello string. */
export function normaliseJa3(raw: string): Result<string> {
  const hex = raw.trim().toLowerCase()
  return /^[0-9a-f]{32}$/.test(hex) ? ok(hex) : fail('a JA3 hash is 32 hex digits')
}

/** JA4 (FoxIO): `t13d1516h2_8daaf6152771_e5627efa2ab1`; protocol letter t/q/d, then hex parts. */
export function normaliseJa4(raw: string): Result<string> {
  const text = raw.trim().toLowerCase()
  return /^[tqd][0-9s]{2}[di][0-9]{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$/.test(text)
    ? ok(text)
    : fail('not a JA4 fingerprint (a_b_c)')
}
