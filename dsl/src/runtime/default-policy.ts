// The policy the edge and `socbox detect` apply: the pack's policy "default", compiled with the
// pack's site variables. A pack without one (older packs) gets none: alerts are stored as raised.
import { type CompiledPolicy, compilePolicy } from './apply-policy.ts'
import type { RulePack } from './types.ts'

export const DEFAULT_POLICY_ID = 'default'

export function defaultPolicyOf(pack: RulePack): CompiledPolicy | undefined {
  const ir = pack.policies?.find((policy) => policy.id === DEFAULT_POLICY_ID)
  return ir === undefined ? undefined : compilePolicy(ir, pack.variables ?? [])
}
