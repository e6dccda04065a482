// Rule files + intel lists → a versioned rule pack (IR + the sensor's match plan), or the
// diagnostics that stop it. Pure: runs in Node (build, CLI) and in a Worker (rule preview).
import { type Diagnostic, diagnosticAt, type SourceFile } from '../diagnostics/diagnostic.ts'
import { buildMatchPlan, listsOfRules, signatureSetsOfRules } from '../plan/build-match-plan.ts'
import type { SignatureSource } from '../plan/signature-source.ts'
import { policyContent } from '../runtime/pack-tag.ts'
import type { RulePack } from '../runtime/types.ts'
import { compileRules } from './compile-rules.ts'
import type { IntelListSource } from './intel-list.ts'
import { sha256Hex } from './sha256.ts'

export type CompilePackOptions = {
  /** Shown to operators; defaults to the first 12 hex digits of the content hash. */
  version?: string
  /**
   * Content signature sets that `signatures("…")` may name (the feed build's content.json); their
   * signatures go into the plan. Without it, sets are not checked and the plan has no content.
   */
  signatures?: SignatureSource
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
  const sets = signatureSetsOfRules(ir)
  const signatures = options.signatures
  if (signatures !== undefined) {
    const unknown = unknownSets(rules, sets, signatures)
    if (unknown.length > 0) return { diagnostics: unknown }
  }
  const plan = buildMatchPlan(listsOfRules(ir), lists, sets, signatures)
  const policyIr = policies.map((policy) => policy.ir)
  // Packs without policies or variables keep the shape (and hash) they always had.
  const extra = {
    ...(variables.length > 0 ? { variables } : {}),
    ...(policyIr.length > 0 ? { policies: policyIr } : {}),
  }
  // `hash` is what a sensor verifies before swapping plans (rules and plan, see
  // sensor-native/src/pack/verify-pack.ts); policies and site variables run only at the edge and
  // have their own hash, so changing a policy changes `policyHash`, the pack version and its tag
  // (runtime/pack-tag.ts, the edge's ETag).
  const hash = sha256Hex(JSON.stringify({ rules: ir, plan }))
  const content = policyContent(extra)
  const policyHash = content === undefined ? undefined : sha256Hex(content)
  const version =
    options.version ??
    (policyHash ? `${hash.slice(0, 12)}.${policyHash.slice(0, 8)}` : hash.slice(0, 12))
  return {
    pack: { v: 1, version, hash, rules: ir, plan, ...extra, ...(policyHash ? { policyHash } : {}) },
    diagnostics,
  }
}

function unknownSets(
  rules: { file: SourceFile; ir: RulePack['rules'][number] }[],
  sets: Set<string>,
  signatures: SignatureSource,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = []
  for (const set of sets) {
    if (signatures.get(set) !== undefined) continue
    const needle = `signatures(${JSON.stringify(set)}`
    for (const { file, ir } of rules) {
      if (!signatureSetsOfRules([ir]).has(set)) continue
      const lines = file.text.split('\n')
      const line = Math.max(
        0,
        lines.findIndex((text) => text.includes(needle)),
      )
      diagnostics.push(
        diagnosticAt(file, {
          line: line + 1,
          column: (lines[line]?.indexOf(needle) ?? 0) + 1,
          length: needle.length + 1,
          message: `unknown signature set ${JSON.stringify(set)}`,
          hint: 'signature sets come from the feed build (rules/dist/feeds/content.json), e.g. et-open',
        }),
      )
    }
  }
  return diagnostics
}
