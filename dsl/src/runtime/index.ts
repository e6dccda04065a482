// '@socbox/dsl/runtime': everything the Worker needs to decode batches and evaluate a compiled
// pack. Nothing under this folder may import chevrotain, Node APIs, eval or new Function.
export type { Evaluation, StatefulEngine } from './create-engine.ts'
export { createEngine, dedupKey } from './create-engine.ts'
export { decodeBatch } from './decode-batch.ts'
export type {
  AggregateIR,
  CorrelationIR,
  DetectionIR,
  ExprIR,
  LimitsIR,
  RuleIR,
  TemplateIR,
  ValueIR,
  WindowIR,
} from './ir.ts'
export { IR_VERSION } from './ir.ts'
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
  SocEvent,
} from './types.ts'
export { SEVERITIES } from './types.ts'
export { WireError } from './wire-error.ts'
