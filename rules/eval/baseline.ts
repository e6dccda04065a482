// The committed baseline of the dev set: which cases pass today. A case that passed in the
// baseline and fails now is a regression; newly passing cases are progress (update the baseline).
import type { CaseOutcome } from './score-cases.ts'

export type Baseline = { passing: string[] }

export type Comparison = { regressions: string[]; progress: string[] }

export function compareWithBaseline(
  outcomes: readonly CaseOutcome[],
  baseline: Baseline,
): Comparison {
  const was = new Set(baseline.passing)
  const now = new Set(outcomes.filter((o) => o.passed).map((o) => o.id))
  const known = new Set(outcomes.map((o) => o.id))
  return {
    // A baseline case missing from the dev set counts as a regression: it can no longer pass.
    regressions: [...was].filter((id) => !now.has(id) || !known.has(id)).sort(),
    progress: [...now].filter((id) => !was.has(id)).sort(),
  }
}

export function baselineOf(outcomes: readonly CaseOutcome[]): Baseline {
  return {
    passing: outcomes
      .filter((o) => o.passed)
      .map((o) => o.id)
      .sort(),
  }
}
