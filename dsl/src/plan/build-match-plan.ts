// The sensor matches only the lists and signature sets some rule uses: the plan is built from the
// rules' references.
import type { IntelListSource } from '../pack/intel-list.ts'
import type { ExprIR, RuleIR } from '../runtime/ir.ts'
import type { MatchPlan, MatchPlanSignature } from '../runtime/types.ts'
import { type SignatureSource, toPlanSignature } from './signature-source.ts'

export function buildMatchPlan(
  usedLists: Iterable<string>,
  lists: IntelListSource,
  usedSets: Iterable<string> = [],
  signatures?: SignatureSource,
): MatchPlan {
  const intel: MatchPlan['intel'] = []
  for (const id of [...new Set(usedLists)].sort()) {
    const list = lists.get(id)
    if (list === undefined) continue // reported by the checker
    intel.push({ list: id, ioc: list.ioc, entries: [...new Set(list.entries)].sort() })
  }
  const content: MatchPlanSignature[] = []
  for (const set of [...new Set(usedSets)].sort()) {
    for (const signature of signatures?.get(set) ?? []) {
      const planned = toPlanSignature(signature, set)
      if (planned !== undefined) content.push(planned)
    }
  }
  return { v: 1, intel, content }
}

/** The intel lists the conditions of these rules reference. */
export function listsOfRules(rules: RuleIR[]): Set<string> {
  const lists = new Set<string>()
  for (const rule of rules)
    for (const condition of conditionsOf(rule)) listsOfExpr(condition, lists)
  return lists
}

/** The signature sets (`signatures("…")`) the conditions of these rules reference. */
export function signatureSetsOfRules(rules: RuleIR[]): Set<string> {
  const sets = new Set<string>()
  for (const rule of rules) for (const condition of conditionsOf(rule)) setsOfExpr(condition, sets)
  return sets
}

/** Every condition of a rule: its where, or the where of each step of a sequence. */
export function conditionsOf(rule: RuleIR): ExprIR[] {
  if (rule.type !== 'sequence') return [rule.where]
  return [...rule.steps, ...(rule.until ? [rule.until] : [])].map((step) => step.where)
}

export function listsOfExpr(expr: ExprIR, into: Set<string>): Set<string> {
  if (expr.op === 'intel') into.add(expr.list)
  else if (expr.op === 'and' || expr.op === 'or')
    for (const arg of expr.args) listsOfExpr(arg, into)
  else if (expr.op === 'not') listsOfExpr(expr.arg, into)
  return into
}

function setsOfExpr(expr: ExprIR, into: Set<string>): void {
  if (expr.op === 'signatures') into.add(expr.set)
  else if (expr.op === 'and' || expr.op === 'or') for (const arg of expr.args) setsOfExpr(arg, into)
  else if (expr.op === 'not') setsOfExpr(expr.arg, into)
}
