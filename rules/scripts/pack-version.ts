// The version of the built pack: the package version, then what the pack's content names
// (`<hash 12>` of rules and plan, `.<policyHash 8>` of site variable declarations and policies),
// so a policy-only or declaration-only edit gives a new version (and a new ETag at the edge) while
// the sensors' plan hash stays.
import type { RulePack } from '@socbox/dsl'

export function builtPackVersion(
  packageVersion: string,
  pack: Pick<RulePack, 'hash' | 'policyHash'>,
): string {
  const policy = pack.policyHash ? `.${pack.policyHash.slice(0, 8)}` : ''
  return `${packageVersion}+${pack.hash.slice(0, 12)}${policy}`
}
