/**
 * Checks a rule pack as the edge serves it (edge/src/pack/route.ts): its `hash` must be the
 * SHA-256 of JSON.stringify({rules, plan}) (dsl/src/pack/compile-pack.ts); a pack with site
 * variables or policies must carry `policyHash`, the SHA-256 of those (policyContent); and the
 * ETag the edge sent must be the pack's tag (`"<hash>"`, or `"<hash>.<policyHash>"`). A pack
 * damaged or altered on the way, or one whose hashes do not cover what it carries, is refused with
 * the reason; the caller keeps running its old plan.
 */
import { createHash } from 'node:crypto'
import { packTag, policyContent, type RulePack } from '@socbox/dsl/runtime'

/** `tag` names the whole pack (what to send as If-None-Match); `hash` its rules and plan. */
export type VerifiedPack = { version: string; hash: string; tag: string; plan: string }
export type PackCheck = { ok: true; pack: VerifiedPack } | { ok: false; reason: string }

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

export function verifyPack(body: string, etag: string | null): PackCheck {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch (err) {
    return { ok: false, reason: `the pack is not JSON (${(err as Error).message})` }
  }
  if (typeof parsed !== 'object' || parsed === null)
    return { ok: false, reason: 'the pack is not an object' }
  const { v, version, hash, rules, plan, policyHash } = parsed as Record<string, unknown>
  if (v !== 1) return { ok: false, reason: `pack format ${JSON.stringify(v)} is not 1` }
  if (typeof version !== 'string' || typeof hash !== 'string' || !Array.isArray(rules)) {
    return { ok: false, reason: 'the pack lacks version, hash or rules' }
  }
  if (typeof plan !== 'object' || plan === null || (plan as { v?: unknown }).v !== 1) {
    return { ok: false, reason: `pack ${version} has no match plan v1` }
  }
  const actual = sha256(JSON.stringify({ rules, plan }))
  if (actual !== hash) {
    return {
      ok: false,
      reason: `pack ${version} does not match its hash (says ${hash.slice(0, 12)}…, is ${actual.slice(0, 12)}…)`,
    }
  }
  const content = policyContent(parsed as Pick<RulePack, 'variables' | 'policies'>)
  const policyActual = content === undefined ? undefined : sha256(content)
  if (policyHash !== policyActual) {
    return {
      ok: false,
      reason: `pack ${version}: its policies and site variables do not match its policyHash (says ${String(policyHash).slice(0, 12)}…, is ${String(policyActual).slice(0, 12)}…)`,
    }
  }
  const tag = packTag({ hash, ...(policyActual ? { policyHash: policyActual } : {}) })
  if (etag !== null && etag.replace(/^W\//, '') !== `"${tag}"`) {
    return { ok: false, reason: `pack ${version} came with ETag ${etag}, not its tag "${tag}"` }
  }
  return { ok: true, pack: { version, hash, tag, plan: JSON.stringify(plan) } }
}
