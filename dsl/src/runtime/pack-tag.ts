// What names a rule pack's whole content, for the edge's ETag and the sensor's If-None-Match:
// `hash` covers rules and match plan (what a sensor verifies and swaps), `policyHash` the site
// variable declarations and policies (which run at the edge). A policy-only edit keeps `hash`
// (no plan swap on the sensors) but changes the tag, so the pack is served again and its version
// is what heartbeats report.
import type { RulePack } from './types.ts'

/** The text `policyHash` is the SHA-256 (hex) of: `{variables, policies}`, each only if present. */
export function policyContent(pack: Pick<RulePack, 'variables' | 'policies'>): string | undefined {
  const variables = pack.variables ?? []
  const policies = pack.policies ?? []
  if (variables.length === 0 && policies.length === 0) return undefined
  return JSON.stringify({
    ...(variables.length > 0 ? { variables } : {}),
    ...(policies.length > 0 ? { policies } : {}),
  })
}

/** `<hash>` for a pack without policies or variables, else `<hash>.<policyHash>`. */
export function packTag(pack: Pick<RulePack, 'hash' | 'policyHash'>): string {
  return pack.policyHash ? `${pack.hash}.${pack.policyHash}` : pack.hash
}
