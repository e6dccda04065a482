/**
 * Asks the edge for the tenant's current pack (`GET /v1/pack`), sending the tag of the pack in
 * use (its hash, and policy hash: dsl/src/runtime/pack-tag.ts) as `If-None-Match`, so an
 * unchanged pack costs a 304 and no body. A new pack is verified (verify-pack.ts) before it is
 * handed out; it may differ only in policies (same `hash`: no plan to swap). Every outcome is data.
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
  /** The tag of the pack in use (a hash alone for packs without policies). */
  currentTag: string | undefined,
  doFetch: typeof fetch = fetch,
): Promise<PackFetch> {
  const url = new URL('/v1/pack', target.edge)
  try {
    const res = await doFetch(url, {
      headers: {
        authorization: `Bearer ${target.token}`,
        ...(currentTag ? { 'if-none-match': `"${currentTag}"` } : {}),
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
    if (check.pack.tag === currentTag) return { kind: 'unchanged' }
    return { kind: 'new', pack: check.pack }
  } catch (err) {
    return {
      kind: 'error',
      reason: `cannot reach the edge at ${url.origin}: ${(err as Error).message}`,
    }
  }
}
