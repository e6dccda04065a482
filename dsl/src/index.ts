// '@socbox/dsl': the compiler side (parser, checker, pack builder, rule tests). Runs in Node and
// in Workers. The Worker's hot path imports only '@socbox/dsl/runtime'.
export { isClassId, OTHER_CLASS_IDS, THREAT_CLASS_IDS } from './check/class-ids.ts'
export type { Diagnostic, SourceFile } from './diagnostics/diagnostic.ts'
export { formatDiagnostic } from './diagnostics/diagnostic.ts'
export type { FormatResult } from './format/format-source.ts'
export { formatSource } from './format/format-source.ts'
export type { RuleSource } from './format/rule-source.ts'
export { ruleSources } from './format/rule-source.ts'
export type { CompilePackOptions } from './pack/compile-pack.ts'
export { compilePack } from './pack/compile-pack.ts'
export type {
  CompiledPolicy as CheckedPolicy,
  CompiledRule,
  CompiledRules,
  CompileRulesOptions,
  Notice,
} from './pack/compile-rules.ts'
export { compileRules } from './pack/compile-rules.ts'
export type { IntelList, IntelListSource } from './pack/intel-list.ts'
export { intelListsFrom, parseListText } from './pack/intel-list.ts'
export { createIntelMatcher } from './plan/attach-intel-hits.ts'
export { buildMatchPlan } from './plan/build-match-plan.ts'
export type { SignatureSource, SourceSignature } from './plan/signature-source.ts'
export { signatureSetsFrom } from './plan/signature-source.ts'
export * from './runtime/index.ts'
export { runPolicyTests } from './testing/run-policy-tests.ts'
export type { TestOutcome } from './testing/run-rule-tests.ts'
export { runRuleTests } from './testing/run-rule-tests.ts'
