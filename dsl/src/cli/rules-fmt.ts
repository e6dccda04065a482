// `socbox rules fmt PATH [--check]`: rewrites rule files in the one layout; --check only lists
// the files that would change (for CI) and exits 1 if any would.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { formatDiagnostic } from '../diagnostics/diagnostic.ts'
import { formatSource } from '../format/format-source.ts'
import { findRuleFiles } from '../node/find-rule-files.ts'
import { type CliIo, guarded, processIo } from './cli-io.ts'
import { parseArgs } from './parse-args.ts'

export const FMT_USAGE = `usage: socbox rules fmt PATH [--check]

Formats the rule files under PATH in place. With --check, changes nothing and lists the files
that are not formatted (exit 1 if any).
`

export function main(argv: string[], io: CliIo = processIo, cwd = process.cwd()): number {
  return guarded('fmt', io, () => {
    const args = parseArgs(argv, [])
    if (args.options.has('help')) {
      io.out(FMT_USAGE)
      return 0
    }
    const [path, extra] = args.positional
    if (path === undefined || extra !== undefined) {
      io.err(FMT_USAGE)
      return 2
    }
    const check = args.options.has('check')
    const files = findRuleFiles(resolve(cwd, path), cwd)
    let broken = 0
    let changed = 0
    for (const file of files) {
      const { text, diagnostics } = formatSource(file)
      if (text === undefined) {
        broken++
        for (const diagnostic of diagnostics) io.err(`${formatDiagnostic(diagnostic)}\n\n`)
        continue
      }
      if (text === file.text) continue
      changed++
      if (check) io.out(`not formatted: ${file.path}\n`)
      else {
        writeFileSync(resolve(cwd, file.path), text)
        io.out(`formatted ${file.path}\n`)
      }
    }
    if (broken > 0) io.err(`${broken} file(s) do not parse and were left as they are\n`)
    io.out(`${files.length} file(s), ${changed} ${check ? 'to format' : 'formatted'}\n`)
    return broken > 0 || (check && changed > 0) ? 1 : 0
  })
}
