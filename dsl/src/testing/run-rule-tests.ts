// Runs the tests written inside rule files on the production runtime: the rule's IR compiled to
// closures by createEngine, with intel hits attached the way the sensor attaches them.
import type { CompiledRule } from '../pack/compile-rules.ts'
import type { IntelListSource } from '../pack/intel-list.ts'
import { createIntelMatcher } from '../plan/attach-intel-hits.ts'
import { buildMatchPlan, listsOfRules } from '../plan/build-match-plan.ts'
import { createEngine } from '../runtime/create-engine.ts'
import type { VariableIR } from '../runtime/ir.ts'
import { fixtureEvents } from './fixture-events.ts'

export type TestOutcome = {
  rule: string
  test: string
  file: string
  line: number
  column: number
  passed: boolean
  /** Why it failed; empty when it passed. */
  message: string
}

export function runRuleTests(
  rules: CompiledRule[],
  lists: IntelListSource,
  variables: readonly VariableIR[] = [],
): TestOutcome[] {
  const outcomes: TestOutcome[] = []
  for (const rule of rules) {
    const used = listsOfRules([rule.ir])
    const missing = [...used].filter((id) => lists.get(id) === undefined)
    const plan = buildMatchPlan(used, lists)
    const attachHits = createIntelMatcher(plan)
    // Site variables at their defaults: a test shows what the rule does for a tenant that set none.
    const pack = {
      v: 1 as const,
      version: 'test',
      hash: '',
      rules: [rule.ir],
      plan,
      variables: [...variables],
    }
    for (const test of rule.tests) {
      const outcome = {
        rule: rule.ir.id,
        test: test.name.value,
        file: rule.file.path,
        line: test.at.line,
        column: test.at.column,
      }
      const { events, problems } = fixtureEvents(test.given)
      if (test.expect === undefined) problems.push('the test has no expect N')
      if (missing.length > 0)
        problems.push(`intel list(s) ${missing.join(', ')} not found, so no hits can be attached`)
      if (problems.length > 0) {
        outcomes.push({ ...outcome, passed: false, message: problems.join('; ') })
        continue
      }
      // A fresh engine per test: correlation state must not leak from one test into the next.
      const engine = createEngine(pack)
      const ctx = { tenant: 'test', sensor: 'test' }
      // The events of a test are one batch, in time order like a decoded batch.
      const batch = [...events].sort((a, b) => a.ts - b.ts).map(attachHits)
      const evaluated = engine.evaluate(batch, ctx)
      const flushed = engine.flush(ctx)
      const alerts = [...evaluated.alerts, ...flushed.alerts]
      const errors = [...evaluated.errors, ...flushed.errors]
      const expected = test.expect?.value
      const failures = [
        ...errors.map((error) => `rule error: ${error.message} (×${error.count})`),
        ...(alerts.length === expected
          ? []
          : [`expected ${expected} alert(s), got ${alerts.length}`]),
      ]
      outcomes.push({ ...outcome, passed: failures.length === 0, message: failures.join('; ') })
    }
  }
  return outcomes
}
