// One evaluation of the dev set: the current rules, the real sensor, the baseline comparison.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Baseline, type Comparison, compareWithBaseline } from './baseline.ts'
import { writeCurrentPack } from './current-pack.ts'
import { runFingerprintListCases } from './evaluation-list-cases.ts'
import { readExpectedCases } from './expected-cases.ts'
import { type GeneratedOutcome, runGeneratedCases } from './generated-cases.ts'
import { runDetector } from './run-detector.ts'
import { type Score, scoreCases } from './score-cases.ts'

/** The lists of the feed build, with their classes (rules/scripts/feed-lists.ts makes them). */
const FEED_LISTS = fileURLToPath(new URL('../dist/feeds/lists', import.meta.url))

export const BASELINE_PATH = new URL('./baseline.json', import.meta.url)

export type EvalResult =
  | {
      score: Score
      generated: GeneratedOutcome[]
      /** Evaluation-only lists (not shipped): a recall figure, not a must-catch. */
      measured: GeneratedOutcome[]
      comparison: Comparison
      rules: number
      seconds: number
    }
  | { problems: string[] }

export function readBaseline(): Baseline {
  return JSON.parse(readFileSync(BASELINE_PATH, 'utf8')) as Baseline
}

export function runEval(dataDir: string, baseline: Baseline): EvalResult {
  const started = performance.now()
  const { cases, problems } = readExpectedCases(dataDir)
  if (problems.length > 0) return { problems }
  const pack = writeCurrentPack()
  if ('problems' in pack) return { problems: pack.problems }
  const run = runDetector(
    pack.path,
    cases.map((c) => c.path),
  )
  if ('error' in run) return { problems: [run.error] }
  const score = scoreCases(cases, run.alerts)
  const generated = runGeneratedCases(pack.pack, FEED_LISTS)
  const measured = runFingerprintListCases(pack.pack, join(dataDir, 'intel'))
  return {
    score,
    generated,
    measured,
    comparison: compareWithBaseline(score.cases, baseline),
    rules: pack.pack.rules.length,
    seconds: (performance.now() - started) / 1000,
  }
}
