// `socbox rules check PATH [--intel DIR]`: every lexing, parsing, type and metadata error of the
// rule files under PATH, as file:line:column, an excerpt with a caret, and a hint.
import { formatDiagnostic } from '../diagnostics/diagnostic.ts'
import { compileRules } from '../pack/compile-rules.ts'
import { type CliIo, guarded, processIo } from './cli-io.ts'
import { loadRuleInputs } from './load-rule-inputs.ts'
import { parseArgs } from './parse-args.ts'

export const CHECK_USAGE = `usage: socbox rules check PATH [--intel DIR] [--json] [--now DATE]

Checks the rule files under PATH (a .soc file or a folder). Intel list ids are checked against
DIR, or the nearest intel/ folder above PATH; without one they are not looked up. With --json,
prints each diagnostic as one JSON object per line on stdout (for editors and CI annotations).
Exceptions of policies that have expired (by the clock, or --now 2027-04-01) are reported as
notices: they no longer apply, but are not errors.
`

export function main(argv: string[], io: CliIo = processIo, cwd = process.cwd()): number {
  return guarded('check', io, () => {
    const args = parseArgs(argv, ['intel', 'now'])
    if (args.options.has('help')) {
      io.out(CHECK_USAGE)
      return 0
    }
    const [path, extra] = args.positional
    if (path === undefined || extra !== undefined) {
      io.err(CHECK_USAGE)
      return 2
    }
    const intel = args.options.get('intel')
    const inputs = loadRuleInputs(path, typeof intel === 'string' ? intel : undefined, cwd)
    for (const problem of inputs.problems) io.err(`${problem}\n`)
    if (inputs.files.length === 0) {
      io.err(`${path}: no .soc rule files\n`)
      return 1
    }
    const now = args.options.get('now')
    const { rules, policies, diagnostics, notices } = compileRules(inputs.files, inputs.lists, {
      context: inputs.context,
      ...(typeof now === 'string' ? { now: Date.parse(now) } : {}),
    })
    const json = args.options.has('json')
    for (const diagnostic of diagnostics) {
      if (json) io.out(`${JSON.stringify(diagnostic)}\n`)
      else io.err(`${formatDiagnostic(diagnostic)}\n\n`)
    }
    // Expired exceptions no longer apply: worth saying, but not an error of the files.
    for (const notice of notices)
      io.err(`${notice.file}:${notice.line}:${notice.column}: notice: ${notice.message}\n`)
    const problems = diagnostics.length + inputs.problems.length
    const policyCount =
      policies.length > 0 ? `, ${policies.length} polic${policies.length === 1 ? 'y' : 'ies'}` : ''
    const summary = `${inputs.files.length} file(s), ${rules.length} rule(s)${policyCount} ok`
    if (problems > 0) {
      io.err(`${problems} problem(s); ${summary}\n`)
      return 1
    }
    io.out(`${summary}${inputs.lists ? '' : ' (no intel folder found: list ids not checked)'}\n`)
    return 0
  })
}
