// The shapes every consumer of the runtime codes against (edge, sensor agent, tools).
// They mirror dsl/schema/README.md: events, alerts, the compiled pack and its match plan.
import type { PolicyIR, RuleIR, VariableIR } from './ir.ts'

export type Endpoint = { ip: string; port?: number; internal?: boolean }

/** One flat event as in the schema contract: `kind`, `ts` (ms), then the kind's own fields. */
export type SocEvent = {
  kind: string
  ts: number
  flow?: string
  src?: Endpoint
  dst?: Endpoint
  [field: string]: unknown
}

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical'

export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical']

export type Bilingual = { en: string; ja: string }

export type Alert = {
  rule: string
  version: number
  class: string
  severity: Severity
  ts: number
  src?: Endpoint
  dst?: Endpoint
  flow?: string
  /** Dedup key: rule id + emit key values. */
  key: string
  title: Bilingual
  explain: Bilingual
  actions: { en: string[]; ja: string[] }
  attack: string[]
  event: SocEvent
  /** Correlations only: the window that fired, its group values and aggregate values. */
  correlation?: { start: number; end: number; group: unknown[]; values: Record<string, number> }
  /** Policy digests only: the alerts a rate limit folded (how many, a sample of keys, per rule). */
  digest?: {
    policy: string
    count: number
    keys: string[]
    more: number
    rules: Record<string, number>
    start: number
    first: number
    last: number
  }
}

/** A rule that threw at run time: isolated, counted, the other rules keep running. */
export type RuleError = { rule: string; message: string; count: number }

export type IocKind = 'domain' | 'ip' | 'url' | 'ja3' | 'ja4' | 'hash'

export type MatchPlanIntel = { list: string; ioc: string; entries: string[] }

/**
 * A content signature of the plan (schema README §3): the shape of
 * rules/feeds/et-open/content-signature.ts plus `set`. Kept loose here: the sensor checks each one.
 */
export type MatchPlanSignature = {
  id: string
  set: string
  fields: string[]
  patterns: { field: string; literal: string; [option: string]: unknown }[]
  regex?: { source: string; flags: string; field: string }
  sizes?: Record<string, { min?: number; max?: number }>
  [key: string]: unknown
}

/** Match plan v1: what the sensor must match natively for this pack. */
export type MatchPlan = { v: 1; intel: MatchPlanIntel[]; content: MatchPlanSignature[] }

export type RulePack = {
  v: 1
  version: string
  hash: string
  rules: RuleIR[]
  plan: MatchPlan
  /** Site variables the rules and policies use, with their defaults (absent in older packs). */
  variables?: VariableIR[]
  /** Alert policies; `default` is the one the edge and `socbox detect` apply. */
  policies?: PolicyIR[]
  /** SHA-256 of {variables, policies} (`hash` covers rules and plan, what a sensor verifies). */
  policyHash?: string
}

/** A tenant's values for site variables, by name without `$` (checked by checkSiteSettings). */
export type SiteSettings = Record<string, unknown>

export type EvaluationContext = { tenant: string; sensor: string; site?: SiteSettings }

export interface Engine {
  evaluate(events: SocEvent[], ctx: EvaluationContext): { alerts: Alert[]; errors: RuleError[] }
}
