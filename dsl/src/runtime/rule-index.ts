// Second index level after the event kind: a detection whose condition can only hold when one
// field equals one of a few constants (`query == "x"`, `dst.port in [4444, 8443]`, and-ed with
// anything, or an `or` of such on one field) is filed under those constants, so an event meets
// only the rules filed under its own values, plus the rules that have no such field. Same
// results as trying every rule: the index only skips rules whose condition is false.
import { compileAccessor, type Getter } from './compile-expr.ts'
import type { ExprIR, Literal } from './ir.ts'
import type { SocEvent } from './types.ts'

export type KeyConstraint = { path: string; values: Literal[] }

/** Some field and the constants one of which it must equal for `expr` to hold, if there is one. */
export function keyConstraint(expr: ExprIR): KeyConstraint | undefined {
  switch (expr.op) {
    case 'cmp': {
      if (expr.cmp !== '==') return undefined
      if ('ref' in expr.left && 'lit' in expr.right)
        return { path: expr.left.ref, values: [expr.right.lit] }
      if ('lit' in expr.left && 'ref' in expr.right)
        return { path: expr.right.ref, values: [expr.left.lit] }
      return undefined
    }
    case 'in':
      return 'ref' in expr.value ? { path: expr.value.ref, values: [...expr.set] } : undefined
    case 'and': {
      let best: KeyConstraint | undefined
      for (const arg of expr.args) {
        const found = keyConstraint(arg)
        if (found && (best === undefined || cost(found) < cost(best))) best = found
      }
      return best
    }
    case 'or': {
      const parts = expr.args.map((arg) => keyConstraint(arg))
      const [first] = parts
      if (first === undefined || parts.some((p) => p === undefined || p.path !== first.path))
        return undefined
      return { path: first.path, values: [...new Set(parts.flatMap((p) => p?.values ?? []))] }
    }
    default:
      return undefined
  }
}

// Fewer values narrow more; a flag, or a code of a small closed set (state SF, rcode NXDOMAIN,
// method POST: upper-case words in the schema), is a poor key, since most events share its few
// values.
function cost(constraint: KeyConstraint): number {
  const flag = constraint.values.every((v) => typeof v === 'boolean')
  const code = constraint.values.every((v) => typeof v === 'string' && /^[A-Z][A-Z0-9_]*$/.test(v))
  return constraint.values.length + (flag ? 10_000 : 0) + (code ? 1_000 : 0)
}

export type KeyedRules<T> = { get: Getter; byValue: Map<unknown, T[]>; all: T[] }

/** Rules to try on every event of the kind, and rules filed by the value of a field. */
export type RuleIndex<T> = { always: T[]; fields: KeyedRules<T>[] }

/** Files `rules` (in order) by the key constraint of each. */
export function buildRuleIndex<T>(rules: readonly T[], whereOf: (rule: T) => ExprIR): RuleIndex<T> {
  const always: T[] = []
  const keyed = new Map<string, KeyedRules<T>>()
  for (const rule of rules) {
    const constraint = keyConstraint(whereOf(rule))
    if (constraint === undefined || constraint.values.length === 0) {
      always.push(rule)
      continue
    }
    let field = keyed.get(constraint.path)
    if (field === undefined) {
      field = { get: compileAccessor(constraint.path), byValue: new Map(), all: [] }
      keyed.set(constraint.path, field)
    }
    field.all.push(rule)
    for (const value of new Set(constraint.values)) {
      const list = field.byValue.get(value)
      if (list) list.push(rule)
      else field.byValue.set(value, [rule])
    }
  }
  return { always, fields: [...keyed.values()] }
}

const NONE: never[] = []

/**
 * The rules of `field` an event may match. A list value (dns answers) matches `in` when any
 * element does, so each element's rules, each once. A field that throws gives all its rules,
 * which then fail on their own and are counted per rule.
 */
export function keyedCandidates<T>(field: KeyedRules<T>, event: SocEvent): readonly T[] {
  let value: unknown
  try {
    value = field.get(event)
  } catch {
    return field.all
  }
  if (value === undefined || value === null) return NONE
  if (!Array.isArray(value)) return field.byValue.get(value) ?? NONE
  const found: T[] = []
  for (const element of value)
    for (const rule of field.byValue.get(element) ?? NONE)
      if (!found.includes(rule)) found.push(rule)
  return found
}
