// The versioned JSON IR: what the compiler emits into a pack and the runtime turns into closures.
// Plain JSON only (no functions, no RegExp objects), so a pack survives JSON.stringify/parse.

export const IR_VERSION = 1

/** A field path as in the schema: `query`, `src.ip`. */
export type FieldPath = string

export type Literal = string | number | boolean

/** `var`: a site variable (`$home_nets` → `{ var: 'home_nets' }`), the tenant's value or the default. */
export type ValueIR =
  | { ref: FieldPath }
  | { lit: Literal }
  | { fn: string; args: ValueIR[] }
  | { var: string }

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>='

export type ExprIR =
  | { op: 'and'; args: ExprIR[] }
  | { op: 'or'; args: ExprIR[] }
  | { op: 'not'; arg: ExprIR }
  | { op: 'cmp'; cmp: CompareOp; left: ValueIR; right: ValueIR }
  | { op: 'in'; value: ValueIR; set: Literal[] }
  /** True when the sensor tagged the event with a hit of `list` on `field` (see schema README). */
  | { op: 'intel'; field: FieldPath; list: string }
  /** A `sig` event of a signature of this set (`id in signatures("et-open")`); the set enters the plan. */
  | { op: 'signatures'; set: string }
  /** Prefixes as written (`10.0.0.0/8`, `fc00::/7`, bare addresses); parsed once per pack. */
  | { op: 'cidr'; value: ValueIR; cidrs: string[] }
  /** A pattern that passed the catastrophic-backtracking lint; flags from i, s, m, u. */
  | { op: 'match'; value: ValueIR; pattern: string; flags: string }
  | { op: 'exists'; field: FieldPath }
  | { op: 'const'; value: boolean }
  /** Membership in a list-typed site variable: prefixes for `cidrs`, values for `strings`. */
  | { op: 'in_var'; value: ValueIR; var: string }
  /**
   * True when `value` was not seen for this tenant within `window` ms before this event (event
   * time); records it either way. State: an LRU per tenant, evictions counted.
   */
  | { op: 'first_seen'; value: ValueIR; window: number }

/** A template with `{field}` holes, already split so the runtime never parses text. */
/** Holes name event fields, or aggregates of a correlation as `$0`, `$1`… */
export type TemplateIR = (string | ValueIR)[]

export type BilingualTemplateIR = { en: TemplateIR; ja: TemplateIR }

export type DetectionIR = {
  ir: typeof IR_VERSION
  type: 'detection'
  id: string
  version: number
  status: string
  class: string
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical'
  attack: string[]
  references: string[]
  title: BilingualTemplateIR
  explain: BilingualTemplateIR
  actions: { en: TemplateIR[]; ja: TemplateIR[] }
  on: string
  where: ExprIR
  /** Emit key: field paths, or values computed from fields (`last_labels(query, 2)`). */
  key: (FieldPath | ValueIR)[]
}

/** An aggregate over the events of one window of one group. */
export type AggregateIR =
  | { fn: 'count' }
  | { fn: 'distinct' | 'sum' | 'min' | 'max' | 'avg'; field: FieldPath }
  /** Coefficient of variation of the gaps between events (stddev / mean): near 0 for beacons. */
  | { fn: 'interval_cv' }

export type WindowIR = { type: 'sliding' | 'tumbling' | 'session'; ms: number }

/** Hard caps on correlation state; what does not fit is dropped and counted, never silently. */
export type LimitsIR = { groups: number; distinct: number; events: number }

export type CorrelationIR = Omit<DetectionIR, 'type'> & {
  type: 'correlation'
  /** Fields or function values (`last_labels(query, 2)`); an event with any of them absent is skipped. */
  groupBy: ValueIR[]
  window: WindowIR
  /** Events up to this much older than the newest one seen are still put in order. */
  lateness: number
  aggregates: AggregateIR[]
  /** Over the aggregate values, referenced as `{ ref: '$0' }`, `{ ref: '$1' }`… */
  when: ExprIR
  limits: LimitsIR
}

/** One step of a sequence: events of `on` that pass `where`, joined to the other steps by `key`. */
export type StepIR = { label: string; on: string; where: ExprIR; key: ValueIR[]; absent: boolean }

/**
 * Ordered steps with the same key values within `within` of the first: a positive step advances
 * a partial match, an absent step cancels the partial matches waiting for the step after it, and
 * `until` cancels every partial match of its key. `on`/`where` of the base are unused (the first
 * step's kind, and true), kept so every rule has the same metadata shape.
 */
export type SequenceIR = Omit<DetectionIR, 'type'> & {
  type: 'sequence'
  within: number
  lateness: number
  steps: StepIR[]
  until: StepIR | null
  limits: LimitsIR
}

export type RuleIR = DetectionIR | CorrelationIR | SequenceIR

/** The types a site variable may have, and what its value is. */
export type VariableType =
  | 'cidrs'
  | 'strings'
  | 'numbers'
  | 'ports'
  | 'domains'
  | 'string'
  | 'number'
  | 'bool'

/** A site variable: declared with a default in the pack, overridable per tenant. */
export type VariableIR = {
  name: string
  type: VariableType
  default: Literal | Literal[]
  doc: { en: string; ja: string }
}

/** A severity mapping line: `raise severity to high when …` (max), `lower … to` (min), `set`. */
export type SeverityRuleIR = {
  when: ExprIR
  op: 'raise' | 'lower' | 'set'
  /** A target level, or a number of levels up (raise) or down (lower). */
  to: string | null
  by: number
}

/** A named exception: matching alerts are not stored (counted) until `expires` (ms, exclusive). */
export type ExceptionIR = {
  name: string
  owner: string
  reason: string
  expires: number
  /** The expiry as written, for reports. */
  expiresText: string
  when: ExprIR
}

/** A named suppression window `[from, to)` in event time (a maintenance window, a pen test). */
export type SuppressionIR = {
  name: string
  owner: string
  reason: string
  from: number
  to: number
  fromText: string
  toText: string
  when: ExprIR
}

/** `dedup 1h [by …] [when …]`: the first line whose condition holds gives an alert's window. */
export type DedupIR = { window: number; by: ValueIR[] | null; when: ExprIR }

/** `rate 50 per 1h [by …] [when …]`: more than `max` in a window fold into one digest. */
export type RateIR = { max: number; per: number; by: ValueIR[] | null; when: ExprIR }

export type RouteIR = { channels: string[]; when: ExprIR }

/** Caps on policy state; what does not fit is evicted oldest first and counted. */
export type PolicyLimitsIR = { dedup: number; rates: number; sample: number }

/**
 * A policy: what happens to the alerts the rules raised. Order of application is fixed:
 * exceptions → suppression windows → severity mapping (every matching line, in order) → dedup →
 * rate limits (overflow folded into digests) → routes. Conditions see the alert's fields.
 */
export type PolicyIR = {
  ir: typeof IR_VERSION
  type: 'policy'
  id: string
  version: number
  title: { en: string; ja: string }
  severity: SeverityRuleIR[]
  exceptions: ExceptionIR[]
  suppressions: SuppressionIR[]
  dedup: DedupIR[]
  rates: RateIR[]
  routes: RouteIR[]
  limits: PolicyLimitsIR
}
