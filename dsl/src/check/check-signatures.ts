// `id in signatures("et-open")` on sig events: true for a hit of any signature of that set. The
// set's content signatures go into the sensor's match plan (plan/build-match-plan.ts).
import type { ExprIR } from '../runtime/ir.ts'
import type { InSetNode, OperandNode, Span } from '../syntax/ast.ts'
import type { ExpressionContext } from './check-expression.ts'

const HINT = 'write on sig where id in signatures("et-open")'

export function checkSignatures(
  value: OperandNode,
  set: Extract<InSetNode, { type: 'call' }>,
  ctx: ExpressionContext,
): ExprIR {
  const fail = (at: Span, message: string): ExprIR => {
    ctx.report({ line: at.line, column: at.column, length: at.length, message, hint: HINT })
    return { op: 'const', value: false }
  }
  const [arg] = set.args
  if (set.args.length !== 1 || arg?.type !== 'literal' || typeof arg.value !== 'string')
    return fail(set.at, 'signatures takes one signature set id')
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(arg.value))
    return fail(arg.at, `${JSON.stringify(arg.value)} is not a signature set id`)
  if (ctx.kind !== 'sig') return fail(set.at, `signatures(…) matches sig events, not ${ctx.kind}`)
  if (value.type !== 'field' || value.path !== 'id')
    return fail(value.at, 'signatures(…) matches the id of a sig event')
  return { op: 'signatures', set: arg.value }
}
