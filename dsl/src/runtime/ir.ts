// The versioned JSON IR: what the compiler emits into a pack and the runtime turns into closures.
// Plain JSON only (no functions, no RegExp objects), so a pack survives JSON.stringify/parse.

export const IR_VERSION = 1

/** A field path as in the schema: `query`, `src.ip`. */
export type FieldPath = string

export type Literal = string | number | boolean

export type ValueIR = { ref: FieldPath } | { lit: Literal } | { fn: string; args: ValueIR[] }

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>='

export type ExprIR =
  | { op: 'and'; args: ExprIR[] }
  | { op: 'or'; args: ExprIR[] }
  | { op: 'not'; arg: ExprIR }
  | { op: 'cmp'; cmp: CompareOp; left: ValueIR; right: ValueIR }
  | { op: 'in'; value: ValueIR; set: Literal[] }
  /** True when the sensor tagged the event with a hit of `list` on `field` (see schema README). */
  | { op: 'intel'; field: FieldPath; list: string }
  /** Prefixes as written (`10.0.0.0/8`, `fc00::/7`, bare addresses); parsed once per pack. */
  | { op: 'cidr'; value: ValueIR; cidrs: string[] }
  /** A pattern that passed the catastrophic-backtracking lint; flags from i, s, m, u. */
  | { op: 'match'; value: ValueIR; pattern: string; flags: string }
  | { op: 'exists'; field: FieldPath }
  | { op: 'const'; value: boolean }

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
  key: FieldPath[]
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
