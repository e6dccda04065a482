// The `when` condition of a correlation: comparisons of aggregates (count, distinct(f), sum(f),
// min(f), max(f), avg(f), interval_cv) with numbers or each other, joined by and/or/not.
// Aggregates are registered once each and referenced as $0, $1… in the IR.
import { fieldNames, fieldSpec } from '../../schema/event-schema.ts'
import type { Problem } from '../diagnostics/diagnostic.ts'
import type { AggregateIR, CompareOp, ExprIR, ValueIR, VariableIR } from '../runtime/ir.ts'
import type { ExprNode, OperandNode, Span } from '../syntax/ast.ts'
import { closestName } from './closest-name.ts'

export const FIELD_AGGREGATES = ['distinct', 'sum', 'min', 'max', 'avg'] as const
export const PLAIN_AGGREGATES = ['count', 'interval_cv'] as const

export type AggregateRegistry = { list: AggregateIR[]; refOf(aggregate: AggregateIR): string }

export function createAggregateRegistry(): AggregateRegistry {
  const list: AggregateIR[] = []
  const index = new Map<string, number>()
  return {
    list,
    refOf(aggregate) {
      const key = JSON.stringify(aggregate)
      let i = index.get(key)
      if (i === undefined) {
        i = list.length
        list.push(aggregate)
        index.set(key, i)
      }
      return `$${i}`
    },
  }
}

type Report = (problem: Problem) => void

const at = (span: Span, message: string, hint?: string): Problem => ({
  line: span.line,
  column: span.column,
  length: span.length,
  message,
  ...(hint ? { hint } : {}),
})

const WHEN_HINT =
  'compare aggregates with numbers, e.g. when distinct(dst.port) > 100 and count >= 200'

export function checkWhen(
  node: ExprNode,
  kind: string,
  registry: AggregateRegistry,
  report: Report,
  variables?: ReadonlyMap<string, VariableIR>,
): ExprIR {
  switch (node.type) {
    case 'paren':
      return checkWhen(node.expr, kind, registry, report, variables)
    case 'and':
    case 'or':
      return {
        op: node.type,
        args: [
          checkWhen(node.left, kind, registry, report, variables),
          checkWhen(node.right, kind, registry, report, variables),
        ],
      }
    case 'not':
      return { op: 'not', arg: checkWhen(node.arg, kind, registry, report, variables) }
    case 'compare':
      return {
        op: 'cmp',
        cmp: node.op as CompareOp,
        left: whenOperand(node.left, kind, registry, report, variables),
        right: whenOperand(node.right, kind, registry, report, variables),
      }
    default:
      report(at(node.at, 'when holds comparisons of aggregates', WHEN_HINT))
      return { op: 'const', value: false }
  }
}

function whenOperand(
  node: OperandNode,
  kind: string,
  registry: AggregateRegistry,
  report: Report,
  variables?: ReadonlyMap<string, VariableIR>,
): ValueIR {
  // A threshold a tenant may set: `when distinct(dst.port) >= $scan_ports`.
  if (node.type === 'variable') {
    const variable = variables?.get(node.name)
    if (variable === undefined)
      report(
        at(node.at, `unknown site variable $${node.name}`, 'declare it: variable $name number 100'),
      )
    else if (variable.type !== 'number')
      report(at(node.at, `$${node.name} is ${variable.type}; aggregates compare with numbers`))
    return { var: node.name }
  }
  if (node.type === 'literal') {
    if (typeof node.value !== 'number')
      report(at(node.at, 'aggregates are numbers; compare them with a number', WHEN_HINT))
    return { lit: node.value }
  }
  const aggregate = aggregateOf(node, kind, report)
  return aggregate ? { ref: registry.refOf(aggregate) } : { lit: 0 }
}

/** An aggregate written as a call or a bare word (`count`), typed against the event kind. */
export function aggregateOf(
  node: OperandNode,
  kind: string,
  report: Report,
): AggregateIR | undefined {
  const name = node.type === 'field' ? node.path : node.type === 'call' ? node.name : ''
  const args = node.type === 'call' ? node.args : []
  if ((PLAIN_AGGREGATES as readonly string[]).includes(name)) {
    if (args.length > 0) report(at(node.at, `${name} takes no argument`))
    return { fn: name as 'count' | 'interval_cv' }
  }
  if (!(FIELD_AGGREGATES as readonly string[]).includes(name) || node.type !== 'call') {
    const known = [...PLAIN_AGGREGATES, ...FIELD_AGGREGATES]
    const near = closestName(name, known)
    report(
      at(
        node.at,
        `${name || 'this'} is not an aggregate`,
        near ? `did you mean ${near}?` : `aggregates: ${known.join(', ')}`,
      ),
    )
    return undefined
  }
  const [arg] = args
  if (args.length !== 1 || arg?.type !== 'field') {
    report(at(node.at, `${name} takes one field`, `e.g. ${name}(dst.port)`))
    return undefined
  }
  const spec = fieldSpec(kind, arg.path)
  if (spec === undefined) {
    const near = closestName(arg.path, fieldNames(kind))
    report(
      at(
        arg.at,
        `${kind} events have no field ${arg.path}`,
        near ? `did you mean ${near}?` : undefined,
      ),
    )
    return undefined
  }
  if (name !== 'distinct' && spec.type !== 'number') {
    report(
      at(
        arg.at,
        `${name} needs a number field; ${arg.path} is a ${spec.type}`,
        'count different values with distinct(field)',
      ),
    )
    return undefined
  }
  return { fn: name as (typeof FIELD_AGGREGATES)[number], field: arg.path }
}
