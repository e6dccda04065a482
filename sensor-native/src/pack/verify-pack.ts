/**
 * Checks a rule pack as the edge serves it (edge/src/pack/route.ts): its `hash` must be the
 * SHA-256 of JSON.stringify({rules, plan}) (dsl/src/pack/compile-pack.ts), and must be the ETag
 * the edge sent with it. A pack damaged or altered on the way, or one whose hash does not cover
 * what it carries, is refused with the reason; the caller keeps running its old plan.
 */
import { createHash } from 'node:crypto'

export type VerifiedPack = { version: string; hash: string; plan: string }
export type PackCheck = { ok: true; pack: VerifiedPack } | { ok: false; reason: string }

export function verifyPack(body: string, etag: string | null): PackCheck {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (err) {
    return { ok: false, reason: `the pack is not JSON (${(err as Error).message})` }
  }
  if (typeof parsed !== 'object' || parsed === null)
    return { ok: false, reason: 'the pack is not an object' }
  const { v, version, hash, rules, plan } = parsed as Record<string, unknown>
  if (v !== 1) return { ok: false, reason: `pack format ${JSON.stringify(v)} is not 1` }
  if (typeof version !== 'string' || typeof hash !== 'string' || !Array.isArray(rules)) {
    return { ok: false, reason: 'the pack lacks version, hash or rules' }
  }
  if (typeof plan !== 'object' || plan === null || (plan as { v?: unknown }).v !== 1) {
    return { ok: false, reason: `pack ${version} has no match plan v1` }
  }
  const actual = createHash('sha256').update(JSON.stringify({ rules, plan })).digest('hex')
  if (actual !== hash) {
    return {
      ok: false,
      reason: `pack ${version} does not match its hash (says ${hash.slice(0, 12)}…, is ${actual.slice(0, 12)}…)`,
    }
  }
  if (etag !== null && etag.replace(/^W\//, '') !== `"${hash}"`) {
    return { ok: false, reason: `pack ${version} came with ETag ${etag}, not its hash` }
  }
  return { ok: true, pack: { version, hash, plan: JSON.stringify(plan) } }
}
