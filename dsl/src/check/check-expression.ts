// Types a `where` expression against the event schema and lowers it to IR in the same walk, so
// a rule that checks clean always lowers. Problems are collected, never thrown.
import { type FieldSpec, fieldNames, fieldSpec } from '../../schema/event-schema.ts'
import type { Problem } from '../diagnostics/diagnostic.ts'
import type { IntelListSource } from '../pack/intel-list.ts'
import { FUNCTION_SIGNATURES, type ValueType } from '../runtime/functions.ts'
import { parsePrefix } from '../runtime/ip-address.ts'
import type { CompareOp, ExprIR, Literal, ValueIR, VariableIR } from '../runtime/ir.ts'
import type { ExprNode, InSetNode, LiteralNode, OperandNode, Span } from '../syntax/ast.ts'
import { checkSignatures } from './check-signatures.ts'
import { checkFirstSeen, checkVariableIn, variableType } from './check-variable-use.ts'
import { closestName } from './closest-name.ts'
import { lintRegex } from './lint-regex.ts'

export type ExpressionContext = {
  kind: string
  /** Undefined when checking a file on its own: list ids are then not looked up. */
  lists: IntelListSource | undefined
  report: (problem: Problem) => void
  /** Intel lists referenced, for the match plan. */
  usedLists: Set<string>
  /** What the fields belong to; default: events of `kind` in the schema. Policies check alerts. */
  subject?: FieldSubject
  /** Site variables declared in the pack (and the file), by name without `$`. */
  variables?: ReadonlyMap<string, VariableIR>
  /** first_seen keeps state per rule: allowed in a detection's condition only. */
  firstSeen?: boolean
}

/** Where field paths are looked up, and how to name them in errors. */
export type FieldSubject = {
  spec: (path: string) => FieldSpec | undefined
  names: () => string[]
  /** "dns events", "alerts". */
  noun: string
}

function specOf(ctx: ExpressionContext, path: string): FieldSpec | undefined {
  return ctx.subject ? ctx.subject.spec(path) : fieldSpec(ctx.kind, path)
}

function nounOf(ctx: ExpressionContext): string {
  return ctx.subject ? ctx.subject.noun : `${ctx.kind} events`
}

export type Typed = { ir: ValueIR; type: ValueType | 'any'; field?: string }

export const problemAt = (at: Span, message: string, hint?: string): Problem => ({
  line: at.line,
  column: at.column,
  length: at.length,
  message,
  ...(hint === undefined ? {} : { hint }),
})

export function checkExpression(node: ExprNode, ctx: ExpressionContext): ExprIR {
  switch (node.type) {
    case 'paren':
      return checkExpression(node.expr, ctx)
    case 'and':
    case 'or': {
      const args: ExprIR[] = []
      for (const side of [node.left, node.right]) {
        const ir = checkExpression(side, ctx)
        // Flatten chains so a and b and c is one node with three closures.
        if (ir.op === node.type) args.push(...ir.args)
        else args.push(ir)
      }
      return { op: node.type, args }
    }
    case 'not':
      return { op: 'not', arg: checkExpression(node.arg, ctx) }
    case 'compare':
      return checkCompare(node.op as CompareOp, node.left, node.right, node.at, ctx)
    case 'in': {
      const ir = checkIn(node.value, node.set, ctx)
      return node.negated ? { op: 'not', arg: ir } : ir
    }
    case 'test':
      return checkTest(node.operand, ctx)
    case 'matches':
      return checkMatches(node, ctx)
  }
}

function checkMatches(
  node: Extract<ExprNode, { type: 'matches' }>,
  ctx: ExpressionContext,
): ExprIR {
  const typed = checkOperand(node.value, ctx)
  if (!['string', 'string[]', 'ip', 'any'].includes(typed.type)) {
    ctx.report(problemAt(node.value.at, `matches needs a string, not a ${typed.type}`))
  }
  const problem = lintRegex(node.pattern, node.flags)
  if (problem) {
    const at = { ...node.patternAt, column: node.patternAt.column + 1 + problem.index, length: 1 }
    ctx.report(problemAt(at, problem.message, problem.hint))
  }
  return { op: 'match', value: typed.ir, pattern: node.pattern, flags: node.flags }
}

function checkTest(operand: OperandNode, ctx: ExpressionContext): ExprIR {
  if (operand.type === 'call' && operand.name === 'first_seen')
    return checkFirstSeen(operand, ctx, (node) => checkOperand(node, ctx), problemAt)
  if (operand.type === 'call' && operand.name === 'exists') {
    const [arg] = operand.args
    if (operand.args.length !== 1 || arg?.type !== 'field') {
      ctx.report(
        problemAt(operand.at, 'exists takes one field', 'write exists(field), e.g. exists(rcode)'),
      )
      return { op: 'const', value: false }
    }
    checkOperand(arg, ctx)
    return { op: 'exists', field: arg.path }
  }
  const typed = checkOperand(operand, ctx)
  if (typed.type !== 'bool' && typed.type !== 'any') {
    ctx.report(
      problemAt(
        operand.at,
        `a condition must be true or false, but this is a ${typed.type}`,
        'compare it, e.g. field == "value"',
      ),
    )
  }
  return { op: 'cmp', cmp: '==', left: typed.ir, right: { lit: true } }
}

function checkCompare(
  op: CompareOp,
  left: OperandNode,
  right: OperandNode,
  at: Span,
  ctx: ExpressionContext,
): ExprIR {
  const a = checkOperand(left, ctx)
  const b = checkOperand(right, ctx)
  const list = a.type.endsWith('[]')
    ? { side: a, node: left }
    : b.type.endsWith('[]')
      ? { side: b, node: right }
      : undefined
  if (list) {
    ctx.report(
      problemAt(
        list.node.at,
        `${list.side.field ?? 'this value'} is a list; compare its elements with in`,
        'write field in ["a", "b"]',
      ),
    )
  } else if (!comparable(a.type, b.type)) {
    ctx.report(
      problemAt(
        at,
        `cannot compare a ${a.type} with a ${b.type}`,
        'both sides of a comparison need the same type',
      ),
    )
  } else if (
    (op === '<' || op === '<=' || op === '>' || op === '>=') &&
    !['number', 'string', 'any'].includes(a.type)
  ) {
    ctx.report(
      problemAt(at, `${op} needs numbers or strings, not ${a.type}`, 'use == or != for this type'),
    )
  }
  return { op: 'cmp', cmp: op, left: a.ir, right: b.ir }
}

function checkIn(value: OperandNode, set: InSetNode, ctx: ExpressionContext): ExprIR {
  if (set.type === 'call') return checkInCall(value, set, ctx)
  if (set.type === 'variable')
    return checkVariableIn(checkOperand(value, ctx), value, set, ctx, problemAt)
  const typed = checkOperand(value, ctx)
  if (typed.type === 'ip') return checkCidrs(typed, set.items, ctx)
  const element: ValueType | 'any' = typed.type === 'string[]' ? 'string' : typed.type
  const spec = typed.field === undefined ? undefined : specOf(ctx, typed.field)
  const items: Literal[] = []
  for (const item of set.items) {
    const type = literalType(item)
    if (!comparable(element, type)) {
      ctx.report(
        problemAt(item.at, `${JSON.stringify(item.value)} is a ${type}, the value is a ${element}`),
      )
    } else if (spec?.values && !spec.values.includes(String(item.value))) {
      ctx.report(
        problemAt(
          item.at,
          `${typed.field} is never ${JSON.stringify(item.value)}`,
          `its values are ${spec.values.join(', ')}`,
        ),
      )
    }
    items.push(item.value)
  }
  return { op: 'in', value: typed.ir, set: items }
}

// An address is in a list of addresses and prefixes: `src.ip in [10.0.0.0/8, "fc00::/7", 192.0.2.1]`.
function checkCidrs(typed: Typed, items: LiteralNode[], ctx: ExpressionContext): ExprIR {
  const cidrs: string[] = []
  for (const item of items) {
    if (typeof item.value !== 'string' || parsePrefix(item.value) === undefined) {
      ctx.report(
        problemAt(
          item.at,
          `${JSON.stringify(item.value)} is not an IP address or prefix`,
          'write 10.0.0.0/8, 192.0.2.1 or "fc00::/7"',
        ),
      )
    } else cidrs.push(item.value)
  }
  return { op: 'cidr', value: typed.ir, cidrs }
}

function checkInCall(
  value: OperandNode,
  set: Extract<InSetNode, { type: 'call' }>,
  ctx: ExpressionContext,
): ExprIR {
  if (set.name === 'cidr') {
    const typed = checkOperand(value, ctx)
    if (typed.type !== 'ip' && typed.type !== 'any')
      ctx.report(problemAt(value.at, `cidr needs an IP address, not a ${typed.type}`))
    const items = set.args.filter((arg): arg is LiteralNode => arg.type === 'literal')
    if (items.length !== set.args.length || items.length === 0) {
      ctx.report(
        problemAt(
          set.at,
          'cidr takes addresses and prefixes',
          'write cidr("10.0.0.0/8", "fc00::/7")',
        ),
      )
    }
    return checkCidrs(typed, items, ctx)
  }
  if (set.name === 'signatures') return checkSignatures(value, set, ctx)
  if (set.name !== 'intel') {
    ctx.report(
      problemAt(
        set.at,
        `unknown set ${set.name}`,
        'write a list [..], cidr("…") or intel("list id")',
      ),
    )
    return { op: 'const', value: false }
  }
  const [arg] = set.args
  if (set.args.length !== 1 || arg?.type !== 'literal' || typeof arg.value !== 'string') {
    ctx.report(problemAt(set.at, 'intel takes one list id', 'write intel("maltrail.onion")'))
    return { op: 'const', value: false }
  }
  if (value.type !== 'field') {
    ctx.report(
      problemAt(
        value.at,
        'only an event field can be looked up in an intel list',
        'write field in intel("…")',
      ),
    )
    return { op: 'const', value: false }
  }
  const typed = checkOperand(value, ctx)
  const spec = specOf(ctx, value.path)
  const listId = arg.value
  ctx.usedLists.add(listId)
  if (spec !== undefined && spec.ioc === undefined) {
    ctx.report(
      problemAt(
        value.at,
        `${value.path} is not matched against intel lists`,
        'intel lists match addresses, domains and hashes',
      ),
    )
  }
  if (ctx.lists !== undefined) {
    const list = ctx.lists.get(listId)
    if (list === undefined) {
      ctx.report(
        problemAt(
          arg.at,
          `unknown intel list ${JSON.stringify(listId)}`,
          'list ids come from the manifests in rules/intel/',
        ),
      )
    } else if (spec?.ioc !== undefined && list.ioc !== spec.ioc) {
      ctx.report(
        problemAt(
          arg.at,
          `${listId} holds ${list.ioc} indicators but ${value.path} is matched as ${spec.ioc}`,
        ),
      )
    }
  }
  void typed
  return { op: 'intel', field: value.path, list: listId }
}

/** A field or a function of fields (group by, holes in text), typed against the schema. */
export function checkValue(
  node: OperandNode,
  ctx: ExpressionContext,
): { ir: ValueIR; type: ValueType | 'any' } {
  if (node.type === 'literal')
    ctx.report(problemAt(node.at, 'expected a field or a function of fields, not a constant'))
  const { ir, type } = checkOperand(node, ctx)
  return { ir, type }
}

export function checkOperand(node: OperandNode, ctx: ExpressionContext): Typed {
  if (node.type === 'literal') {
    if (node.kind === 'duration')
      ctx.report(
        problemAt(
          node.at,
          'a duration is only a value in first_seen(value, 30d)',
          'write the number, e.g. duration > 60000',
        ),
      )
    return { ir: { lit: node.value }, type: literalType(node) }
  }
  if (node.type === 'variable') return variableType(node, ctx, problemAt)
  if (node.type === 'field') {
    const spec = specOf(ctx, node.path)
    if (spec === undefined) {
      ctx.report(
        problemAt(node.at, `${nounOf(ctx)} have no field ${node.path}`, fieldHint(ctx, node.path)),
      )
      return { ir: { ref: node.path }, type: 'any', field: node.path }
    }
    return { ir: { ref: node.path }, type: spec.type, field: node.path }
  }
  const signature = FUNCTION_SIGNATURES[node.name]
  const args = node.args.map((arg) => checkOperand(arg, ctx))
  if (node.name === 'first_seen' || node.name === 'exists') {
    ctx.report(
      problemAt(
        node.at,
        `${node.name}(…) is a condition of its own`,
        `write it alone or with and/or/not, e.g. … and ${node.name}(…)`,
      ),
    )
    return { ir: { lit: false }, type: 'bool' }
  }
  if (signature === undefined) {
    ctx.report(
      problemAt(
        node.at,
        `unknown function ${node.name}`,
        `functions: ${Object.keys(FUNCTION_SIGNATURES).join(', ')}, exists`,
      ),
    )
    return { ir: { fn: node.name, args: args.map((a) => a.ir) }, type: 'any' }
  }
  if (args.length !== signature.params.length) {
    ctx.report(
      problemAt(
        node.at,
        `${node.name} takes ${signature.params.length} argument(s), got ${args.length}`,
      ),
    )
  }
  args.forEach((arg, i) => {
    const want = signature.params[i]
    const at = node.args[i]?.at ?? node.at
    if (want !== undefined && !comparable(want, arg.type)) {
      ctx.report(problemAt(at, `${node.name} wants a ${want} here, not a ${arg.type}`))
    }
  })
  return { ir: { fn: node.name, args: args.map((a) => a.ir) }, type: signature.returns }
}

export function literalType(node: LiteralNode): ValueType {
  if (node.kind === 'word') return 'string'
  if (node.kind === 'number') return 'number'
  if (node.kind === 'bool') return 'bool'
  if (node.kind === 'ip') return 'ip'
  if (node.kind === 'duration') return 'duration'
  return 'string'
}

// Addresses are strings on the wire, so an ip compares with a string ("10.0.0.1") and an IP literal.
export function comparable(a: ValueType | 'any', b: ValueType | 'any'): boolean {
  if (a === 'any' || b === 'any' || a === b) return true
  const text = (t: string) => t === 'string' || t === 'ip'
  return text(a) && text(b)
}

function fieldHint(ctx: ExpressionContext, path: string): string {
  const names = ctx.subject ? ctx.subject.names() : fieldNames(ctx.kind)
  const near = closestName(path, names)
  return near ? `did you mean ${near}?` : `${nounOf(ctx)} fields: ${names.join(', ')}`
}
