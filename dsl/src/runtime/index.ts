// '@socbox/dsl/runtime': everything the Worker needs to decode batches and evaluate a compiled
// pack. Nothing under this folder may import chevrotain, Node APIs, eval or new Function.
export type {
  CompiledPolicy,
  Digest,
  PolicyAlert,
  PolicyContext,
  PolicyOutcome,
  Routed,
  Suppressed,
  SuppressReason,
} from './apply-policy.ts'
export { compilePolicy, jstMinute, mapSeverity } from './apply-policy.ts'
export { communityIdV1 } from './community-id.ts'
export type { Evaluation, StatefulEngine } from './create-engine.ts'
export { createEngine, dedupKey } from './create-engine.ts'
export { decodeBatch, WIRE_VERSIONS } from './decode-batch.ts'
export { defaultPolicyOf } from './default-policy.ts'
export type { FirstSeenState } from './first-seen.ts'
export type {
  AggregateIR,
  CorrelationIR,
  DetectionIR,
  ExprIR,
  LimitsIR,
  PolicyIR,
  RuleIR,
  TemplateIR,
  ValueIR,
  VariableIR,
  WindowIR,
} from './ir.ts'
export { IR_VERSION } from './ir.ts'
export { packTag, policyContent } from './pack-tag.ts'
export type { PolicyState, PolicyTotals } from './policy-state.ts'
export { emptyPolicyState, restorePolicyState } from './policy-state.ts'
export type { SiteProblem } from './site-variables.ts'
export { checkSiteSettings } from './site-variables.ts'
export type {
  Alert,
  Bilingual,
  Endpoint,
  Engine,
  EvaluationContext,
  IocKind,
  MatchPlan,
  MatchPlanIntel,
  RuleError,
  RulePack,
  Severity,
  SiteSettings,
  SocEvent,
} from './types.ts'
export { SEVERITIES } from './types.ts'
export { WireError } from './wire-error.ts'
