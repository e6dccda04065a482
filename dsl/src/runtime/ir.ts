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
export type TemplateIR = (string | { ref: FieldPath })[]

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

export type RuleIR = DetectionIR
