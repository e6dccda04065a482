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
  kind: 'string' | 'number' | 'bool' | 'ip' | 'word'
}
export type CallNode = { type: 'call'; name: string; args: OperandNode[]; at: Span }
export type OperandNode = FieldRef | LiteralNode | CallNode

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
  | { name: 'emit'; at: Span; key: FieldRef[] }
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

export type FileNode = { rules: RuleNode[]; comments: { text: string; at: Span }[] }
