// Site variables and first_seen inside conditions: `src.ip in $home_nets`, `len(query) >
// $long_name`, `first_seen(last_labels(query, 2), 30d)`. Kept apart from check-expression so
// the expression checker stays about fields, values and sets.
import type { Problem } from '../diagnostics/diagnostic.ts'
import type { ValueType } from '../runtime/functions.ts'
import type { ExprIR, VariableIR, VariableType } from '../runtime/ir.ts'
import type { CallNode, OperandNode, Span, VariableRef } from '../syntax/ast.ts'
import type { ExpressionContext, Typed } from './check-expression.ts'
import { closestName } from './closest-name.ts'

type ProblemAt = (at: Span, message: string, hint?: string) => Problem

export const VARIABLE_VALUE_TYPES: Record<VariableType, ValueType> = {
  cidrs: 'ip[]',
  strings: 'string[]',
  numbers: 'number[]',
  ports: 'number[]',
  domains: 'string[]',
  string: 'string',
  number: 'number',
  bool: 'bool',
}

/** first_seen windows: from a minute to a year (state is kept as long as the window). */
export const FIRST_SEEN_MIN_MS = 60_000
export const FIRST_SEEN_MAX_MS = 366 * 86_400_000

function declared(
  node: VariableRef,
  ctx: ExpressionContext,
  problemAt: ProblemAt,
): VariableIR | undefined {
  const variable = ctx.variables?.get(node.name)
  if (variable === undefined) {
    const names = [...(ctx.variables?.keys() ?? [])]
    const near = closestName(node.name, names)
    ctx.report(
      problemAt(
        node.at,
        `unknown site variable $${node.name}`,
        near
          ? `did you mean $${near}?`
          : `declare it with a default: variable $${node.name} cidrs [10.0.0.0/8] (in rules/policies/)`,
      ),
    )
  }
  return variable
}

export function variableType(
  node: VariableRef,
  ctx: ExpressionContext,
  problemAt: ProblemAt,
): Typed {
  const variable = declared(node, ctx, problemAt)
  return {
    ir: { var: node.name },
    type: variable ? VARIABLE_VALUE_TYPES[variable.type] : 'any',
    field: `$${node.name}`,
  }
}

export function checkVariableIn(
  typed: Typed,
  value: OperandNode,
  set: VariableRef,
  ctx: ExpressionContext,
  problemAt: ProblemAt,
): ExprIR {
  const variable = declared(set, ctx, problemAt)
  const ir: ExprIR = { op: 'in_var', value: typed.ir, var: set.name }
  if (variable === undefined) return ir
  const element: Record<string, readonly string[]> = {
    cidrs: ['ip'],
    strings: ['string', 'string[]', 'ip'],
    numbers: ['number'],
    ports: ['number'],
    domains: ['string'],
  }
  const accepts = element[variable.type]
  if (accepts === undefined) {
    ctx.report(
      problemAt(
        set.at,
        `$${set.name} is a ${variable.type}, not a list`,
        `compare it: field == $${set.name}`,
      ),
    )
  } else if (typed.type !== 'any' && !accepts.includes(typed.type)) {
    ctx.report(
      problemAt(
        value.at,
        `$${set.name} holds ${variable.type}; this value is a ${typed.type}`,
        variable.type === 'cidrs' ? 'test an address: src.ip in $…' : 'test a value of that type',
      ),
    )
  }
  return ir
}

export function checkFirstSeen(
  call: CallNode,
  ctx: ExpressionContext,
  check: (node: OperandNode) => Typed,
  problemAt: ProblemAt,
): ExprIR {
  const fallback: ExprIR = { op: 'const', value: false }
  if (!ctx.firstSeen) {
    ctx.report(
      problemAt(
        call.at,
        'first_seen keeps state per rule and tenant: use it in a detection condition',
        'write on dns where first_seen(last_labels(query, 2), 30d)',
      ),
    )
    return fallback
  }
  const [value, window] = call.args
  if (call.args.length !== 2 || value === undefined || window === undefined) {
    ctx.report(
      problemAt(
        call.at,
        'first_seen takes a value and a window',
        'write first_seen(last_labels(query, 2), 30d)',
      ),
    )
    return fallback
  }
  if (window.type !== 'literal' || window.kind !== 'duration') {
    ctx.report(problemAt(window.at, 'the window of first_seen is a duration', 'e.g. 30d or 12h'))
    return fallback
  }
  const ms = Number(window.value)
  if (ms < FIRST_SEEN_MIN_MS || ms > FIRST_SEEN_MAX_MS) {
    ctx.report(problemAt(window.at, 'the window of first_seen is from 1m to 366d'))
    return fallback
  }
  if (value.type === 'literal') {
    ctx.report(problemAt(value.at, 'first_seen needs a field or a function of fields'))
    return fallback
  }
  const typed = check(value)
  if (typed.type === 'bool' || typed.type.endsWith('[]')) {
    ctx.report(
      problemAt(
        value.at,
        `first_seen remembers single values, not a ${typed.type}`,
        'e.g. first_seen(query, 30d) or first_seen(dst.ip, 7d)',
      ),
    )
  }
  return { op: 'first_seen', value: typed.ir, window: ms }
}
