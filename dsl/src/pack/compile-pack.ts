// Rule files + intel lists → a versioned rule pack (IR + the sensor's match plan), or the
// diagnostics that stop it. Pure: runs in Node (build, CLI) and in a Worker (rule preview).
import type { Diagnostic, SourceFile } from '../diagnostics/diagnostic.ts'
import { buildMatchPlan, listsOfRules } from '../plan/build-match-plan.ts'
import type { RulePack } from '../runtime/types.ts'
import { compileRules } from './compile-rules.ts'
import type { IntelListSource } from './intel-list.ts'
import { sha256Hex } from './sha256.ts'

export type CompilePackOptions = {
  /** Shown to operators; defaults to the first 12 hex digits of the content hash. */
  version?: string
}

export function compilePack(
  files: SourceFile[],
  lists: IntelListSource,
  options: CompilePackOptions = {},
): { pack?: RulePack; diagnostics: Diagnostic[] } {
  // Sorted by path so the same rules give the same pack (and hash) whatever the file order.
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const { rules, policies, variables, diagnostics } = compileRules(sorted, lists)
  if (diagnostics.length > 0) return { diagnostics }
  // Deprecated rules are still checked, but no longer shipped to run.
  const ir = rules.map((rule) => rule.ir).filter((rule) => rule.status !== 'deprecated')
  const plan = buildMatchPlan(listsOfRules(ir), lists)
  const policyIr = policies.map((policy) => policy.ir)
  // Packs without policies or variables keep the shape (and hash) they always had.
  const extra = {
    ...(variables.length > 0 ? { variables } : {}),
    ...(policyIr.length > 0 ? { policies: policyIr } : {}),
  }
  const hash = sha256Hex(JSON.stringify({ rules: ir, plan, ...extra }))
  return {
    pack: { v: 1, version: options.version ?? hash.slice(0, 12), hash, rules: ir, plan, ...extra },
    diagnostics,
  }
}
