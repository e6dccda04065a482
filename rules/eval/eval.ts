// `npm run eval`: the dev set through the current rules. Prints per-class recall, what benign
// traffic raised, misses and the time taken; exits 1 on a regression against baseline.json.
// `--update` records the current passes as the new baseline (commit it with the rule change).
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { THREAT_CLASS_IDS } from '@socbox/dsl'
import { baselineOf } from './baseline.ts'
import { classCoverage, uncovered } from './class-coverage.ts'
import { BASELINE_PATH, readBaseline, runEval } from './run-eval.ts'
import { SHARED_DATA } from './shared-data.ts'

const { values } = parseArgs({
  options: { update: { type: 'boolean' }, data: { type: 'string', default: SHARED_DATA } },
})
const result = runEval(values.data, readBaseline())
if ('problems' in result) {
  for (const problem of result.problems) console.error(problem)
  process.exit(2)
}
const { score, comparison } = result
const pct = (n: number, d: number) => (d === 0 ? '-' : `${Math.round((100 * n) / d)}%`)
console.log('recall per class (cases with an alert of the expected class):')
for (const [label, r] of Object.entries(score.recall))
  console.log(`  ${label.padEnd(8)} ${r.detected}/${r.cases}  ${pct(r.detected, r.cases)}`)
const total = Object.values(score.recall).reduce(
  (s, r) => ({ d: s.d + r.detected, c: s.c + r.cases }),
  { d: 0, c: 0 },
)
console.log(`  ${'all'.padEnd(8)} ${total.d}/${total.c}  ${pct(total.d, total.c)}`)
console.log(`benign captures without a threat alert: ${score.benign.quiet}/${score.benign.cases}`)
for (const c of score.cases.filter((c) => c.label === 'BENIGN')) {
  for (const a of [...c.unexpected, ...c.info])
    console.log(`  ${c.id}  ${a.class}  ${a.rule}  ${a.title}`)
}
console.log('generated cases (real list entries as DNS + HTTP traffic, reference matcher):')
for (const g of result.generated)
  console.log(`  ${g.class.padEnd(20)} ${g.list.padEnd(28)} ${g.detected}/${g.entries}`)
console.log('measured on evaluation-only lists (not shipped; real entries as DNS + TLS traffic):')
for (const g of result.measured)
  console.log(`  ${g.class.padEnd(20)} ${g.list.padEnd(28)} ${g.detected}/${g.entries}`)
const coverage = classCoverage(THREAT_CLASS_IDS, score.cases, [
  ...result.generated,
  ...result.measured,
])
console.log('class coverage (real cases, else generated cases from real list entries):')
for (const c of coverage)
  console.log(
    `  ${c.class.padEnd(20)} ${c.real.length > 0 ? `real: ${c.real.join(' ')}` : c.generated.length > 0 ? `generated: ${c.generated.join(' ')}` : 'NOT COVERED'}`,
  )
console.log('missed:')
for (const c of score.cases.filter((c) => !c.passed && c.label !== 'BENIGN'))
  console.log(
    `  ${c.id} ${c.label}${c.unexpected.length ? ` (raised ${c.unexpected.map((a) => a.class).join(', ')})` : ''}`,
  )
const wrong = score.cases.filter((c) => c.passed && c.label !== 'BENIGN' && c.unexpected.length > 0)
if (wrong.length > 0) console.log('caught, with alerts of other classes too:')
for (const c of wrong)
  console.log(
    `  ${c.id} ${c.label}: ${[...new Set(c.unexpected.map((a) => `${a.class} ${a.rule}`))].join(', ')}`,
  )
console.log(
  `${result.rules} rules, ${score.cases.length} captures in ${result.seconds.toFixed(1)} s`,
)

if (values.update) {
  writeFileSync(BASELINE_PATH, `${JSON.stringify(baselineOf(score.cases), null, 2)}\n`)
  console.log('baseline updated')
} else if (comparison.regressions.length > 0) {
  console.error(`regressions against baseline.json: ${comparison.regressions.join(', ')}`)
  process.exit(1)
}
if (uncovered(coverage).length > 0) {
  console.error(
    `threat classes detected in no real or generated case: ${uncovered(coverage).join(', ')}`,
  )
  process.exit(1)
}
if (comparison.progress.length > 0 && !values.update)
  console.log(`newly passing (run with --update to record): ${comparison.progress.join(', ')}`)
