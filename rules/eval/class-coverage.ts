// Issue 6 item 6: every threat class is detected in at least one real case of the dev set, or,
// where the dev set has none, in a generated case built from real list entries.
import type { GeneratedOutcome } from './generated-cases.ts'
import type { CaseOutcome } from './score-cases.ts'

export type ClassCoverage = { class: string; real: string[]; generated: string[] }

export function classCoverage(
  classIds: readonly string[],
  cases: readonly CaseOutcome[],
  generated: readonly GeneratedOutcome[],
): ClassCoverage[] {
  return classIds.map((cls) => ({
    class: cls,
    real: cases.filter((c) => c.passed && c.matching.some((a) => a.class === cls)).map((c) => c.id),
    generated: generated.filter((g) => g.class === cls && g.detected > 0).map((g) => g.list),
  }))
}

export const uncovered = (coverage: readonly ClassCoverage[]) =>
  coverage.filter((c) => c.real.length === 0 && c.generated.length === 0).map((c) => c.class)
