// `socbox rules test PATH [--intel DIR]`: runs the tests written inside the rule files.
import { formatDiagnostic } from '../diagnostics/diagnostic.ts'
import { compileRules } from '../pack/compile-rules.ts'
import { intelListsFrom } from '../pack/intel-list.ts'
import { runPolicyTests } from '../testing/run-policy-tests.ts'
import { runRuleTests } from '../testing/run-rule-tests.ts'
import { type CliIo, guarded, processIo } from './cli-io.ts'
import { loadRuleInputs } from './load-rule-inputs.ts'
import { parseArgs } from './parse-args.ts'

export const TEST_USAGE = `usage: socbox rules test PATH [--intel DIR]

Runs the tests inside the rule files under PATH on the production runtime, with intel hits
attached from DIR or the nearest intel/ folder above PATH.
`

export function main(argv: string[], io: CliIo = processIo, cwd = process.cwd()): number {
  return guarded('test', io, () => {
    const args = parseArgs(argv, ['intel'])
    if (args.options.has('help')) {
      io.out(TEST_USAGE)
      return 0
    }
    const [path, extra] = args.positional
    if (path === undefined || extra !== undefined) {
      io.err(TEST_USAGE)
      return 2
    }
    const intel = args.options.get('intel')
    const inputs = loadRuleInputs(path, typeof intel === 'string' ? intel : undefined, cwd)
    for (const problem of inputs.problems) io.err(`${problem}\n`)
    const { rules, policies, variables, diagnostics } = compileRules(inputs.files, inputs.lists, {
      context: inputs.context,
    })
    if (diagnostics.length > 0) {
      for (const diagnostic of diagnostics) io.err(`${formatDiagnostic(diagnostic)}\n\n`)
      io.err(`${diagnostics.length} problem(s): fix them with 'socbox rules check ${path}' first\n`)
      return 1
    }
    const outcomes = [
      ...runRuleTests(rules, inputs.lists ?? intelListsFrom([]), variables),
      ...runPolicyTests(policies, variables),
    ]
    let failed = 0
    for (const outcome of outcomes) {
      if (outcome.passed) io.out(`ok    ${outcome.rule}  ${outcome.test}\n`)
      else {
        failed++
        io.out(
          `FAIL  ${outcome.rule}  ${outcome.test}\n      ${outcome.file}:${outcome.line}:${outcome.column}: ${outcome.message}\n`,
        )
      }
    }
    const untested = [
      ...rules.filter((rule) => rule.tests.length === 0).map((rule) => rule.ir.id),
      ...policies.filter((p) => p.tests.length === 0).map((p) => `policy ${p.ir.id}`),
    ]
    if (untested.length > 0) io.out(`no tests: ${untested.join(', ')}\n`)
    const policyCount =
      policies.length > 0 ? `, ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'}` : ''
    io.out(
      `${outcomes.length - failed} passed, ${failed} failed, ${rules.length} rule(s)${policyCount}\n`,
    )
    return failed > 0 ? 1 : 0
  })
}
