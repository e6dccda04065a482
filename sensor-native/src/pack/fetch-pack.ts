/**
 * Asks the edge for the tenant's current pack (`GET /v1/pack`), sending the hash of the pack in
 * use as `If-None-Match`, so an unchanged pack costs a 304 and no body. A new pack is verified
 * (verify-pack.ts) before it is handed out. Every outcome is data.
 */
import { type VerifiedPack, verifyPack } from './verify-pack.ts'

export type PackTarget = { edge: string; token: string }
export type PackFetch =
  | { kind: 'unchanged' }
  | { kind: 'new'; pack: VerifiedPack }
  | { kind: 'refused'; reason: string; hash?: string }
  | { kind: 'error'; reason: string; status?: number }

export async function fetchPack(
  target: PackTarget,
  currentHash: string | undefined,
  doFetch: typeof fetch = fetch,
): Promise<PackFetch> {
  const url = new URL('/v1/pack', target.edge)
  try {
    const res = await doFetch(url, {
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(currentHash ? { 'if-none-match': `"${currentHash}"` } : {}),
      },
      signal: AbortSignal.timeout(30_000),
    })
    if (res.status === 304) return { kind: 'unchanged' }
    const text = await res.text()
    if (!res.ok) {
      return {
        kind: 'error',
        status: res.status,
        reason: `edge answered ${res.status}: ${text.slice(0, 200)}`,
      }
    }
    const etag = res.headers.get('etag')
    const check = verifyPack(text, etag)
    if (!check.ok) {
      const hash = etag?.replace(/^W\//, '').replace(/"/g, '')
      return { kind: 'refused', reason: check.reason, ...(hash ? { hash } : {}) }
    }
    if (check.pack.hash === currentHash) return { kind: 'unchanged' }
    return { kind: 'new', pack: check.pack }
  } catch (err) {
    return {
      kind: 'error',
      reason: `cannot reach the edge at ${url.origin}: ${(err as Error).message}`,
    }
  }
}
