// The syntax tree the parser builds. Every node keeps where it came from, so the checker can
// point at the exact token.

export type Span = { offset: number; line: number; column: number; length: number }

export type Located<T> = { value: T; at: Span }

export type TextNode = { at: Span; entries: { lang: Located<string>; text: Located<string> }[] }
export type TextListNode = {
  at: Span
  entries: { lang: Located<string>; items: Located<string>[] }[]
}

export type FieldRef = { type: 'field'; path: string; at: Span }
export type LiteralNode = {
  type: 'literal'
  value: string | number | boolean
  at: Span
  /** `duration` (`30d`, in ms) only as an argument of first_seen. */
  kind: 'string' | 'number' | 'bool' | 'ip' | 'word' | 'duration'
}
export type CallNode = { type: 'call'; name: string; args: OperandNode[]; at: Span }
/** `$home_nets`: a site variable (name without the `$`). */
export type VariableRef = { type: 'variable'; name: string; at: Span }
export type OperandNode = FieldRef | LiteralNode | CallNode | VariableRef

export type ExprNode =
  | { type: 'and' | 'or'; left: ExprNode; right: ExprNode; at: Span }
  | { type: 'not'; arg: ExprNode; at: Span }
  | { type: 'paren'; expr: ExprNode; at: Span }
  | { type: 'compare'; op: string; left: OperandNode; right: OperandNode; at: Span }
  | { type: 'in'; negated: boolean; value: OperandNode; set: InSetNode; at: Span }
  | { type: 'test'; operand: OperandNode; at: Span }
  | {
      type: 'matches'
      value: OperandNode
      pattern: string
      flags: string
      patternAt: Span
      at: Span
    }

export type InSetNode =
  | { type: 'list'; items: LiteralNode[]; at: Span }
  | { type: 'call'; name: string; args: OperandNode[]; at: Span }
  | VariableRef

export type EventFixture = {
  kind: Located<string>
  fields: { path: Located<string>; value: LiteralNode | ListLiteral }[]
  /** `at 5s`: offset from the start of the test; without it, one second after the previous event. */
  offset: Located<number> | undefined
  /** `repeat 20 every 1s`: the event 20 times, `{i}` in strings replaced by 0…19. */
  repeat: { count: Located<number>; every: Located<number> | undefined } | undefined
  at: Span
}
export type ListLiteral = { type: 'list'; items: LiteralNode[]; at: Span }

export type TestNode = {
  name: Located<string>
  given: EventFixture[]
  expect: Located<number> | undefined
  at: Span
}

/** A section of a rule body, in source order; the checker finds missing and repeated ones. */
export type Section =
  | { name: 'title' | 'explain'; at: Span; text: TextNode }
  | { name: 'actions'; at: Span; list: TextListNode }
  | { name: 'class' | 'severity' | 'status'; at: Span; word: Located<string> }
  | { name: 'attack'; at: Span; ids: Located<string>[] }
  | { name: 'references'; at: Span; urls: Located<string>[] }
  | { name: 'on'; at: Span; kind: Located<string>; where: ExprNode | undefined }
  | { name: 'emit'; at: Span; key: OperandNode[] }
  | { name: 'test'; at: Span; test: TestNode }
  | { name: 'group'; at: Span; fields: OperandNode[] }
  | { name: 'window'; at: Span; kind: Located<string>; length: Located<number> }
  | { name: 'lateness'; at: Span; length: Located<number> }
  | { name: 'when'; at: Span; expr: ExprNode }
  | { name: 'limits'; at: Span; entries: { name: Located<string>; value: Located<number> }[] }
  | { name: 'within'; at: Span; length: Located<number> }
  | { name: 'step' | 'until'; at: Span; step: StepNode }

/** One step of a sequence: `step dl on http where … by src.ip`, `absent …`, `until on …`. */
export type StepNode = {
  label: Located<string> | undefined
  absent: boolean
  kind: Located<string>
  where: ExprNode | undefined
  by: OperandNode[]
  at: Span
}

/** A detection, correlation or sequence: the same header and sections, checked by type. */
export type DetectionNode = {
  type: 'detection' | 'correlation' | 'sequence'
  id: Located<string>
  version: Located<number>
  sections: Section[]
  at: Span
}

export type RuleNode = DetectionNode

/** `variable $home_nets cidrs [10.0.0.0/8] { en "…" ja "…" }`: a site variable and its default. */
export type VariableNode = {
  type: 'variable'
  name: Located<string>
  valueType: Located<string>
  value: LiteralNode | ListLiteral
  text: TextNode | undefined
  at: Span
}

/** A policy test: alerts at times, then what the policy must have done with them. */
export type PolicyTestNode = {
  name: Located<string>
  given: EventFixture[]
  expect: { name: Located<string>; value: LiteralNode | ListLiteral }[]
  at: Span
}

/** One statement of a policy body, in source order (the order is the meaning for severity). */
export type PolicyStatement =
  | { kind: 'title' | 'explain'; at: Span; text: TextNode }
  | {
      kind: 'severity'
      at: Span
      direction: 'raise' | 'lower' | 'set'
      to: Located<string> | undefined
      by: Located<number> | undefined
      when: ExprNode | undefined
    }
  | {
      kind: 'except' | 'suppress'
      at: Span
      name: Located<string>
      fields: { word: Located<string>; value: Located<string> }[]
      when: ExprNode | undefined
    }
  | {
      kind: 'dedup'
      at: Span
      window: Located<number>
      by: OperandNode[] | undefined
      when: ExprNode | undefined
    }
  | {
      kind: 'rate'
      at: Span
      max: Located<number>
      per: Located<number>
      by: OperandNode[] | undefined
      when: ExprNode | undefined
    }
  | { kind: 'route'; at: Span; channels: Located<string>[]; when: ExprNode | undefined }
  | { kind: 'limits'; at: Span; entries: { name: Located<string>; value: Located<number> }[] }
  | { kind: 'test'; at: Span; test: PolicyTestNode }

export type PolicyNode = {
  type: 'policy'
  id: Located<string>
  version: Located<number>
  statements: PolicyStatement[]
  at: Span
}

export type FileNode = {
  rules: RuleNode[]
  policies: PolicyNode[]
  variables: VariableNode[]
  /** Every top-level block in source order (the formatter prints them so). */
  items: (RuleNode | PolicyNode | VariableNode)[]
  comments: { text: string; at: Span }[]
}
