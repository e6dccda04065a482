// `socbox rules <check|test|fmt> …`: the entry the root CLI dispatches `rules` to.
import { type CliIo, processIo } from './cli-io.ts'
import { main as check } from './rules-check.ts'
import { main as fmt } from './rules-fmt.ts'
import { main as test } from './rules-test.ts'

const SUBCOMMANDS: Record<string, (argv: string[], io: CliIo, cwd: string) => number> = {
  check,
  test,
  fmt,
}

export const RULES_USAGE = `usage: socbox rules <command> PATH

commands:
  check  report every syntax, type and metadata error with file:line:column
  test   run the tests written inside the rule files
  fmt    format rule files (--check to only list unformatted ones)
`

export function main(argv: string[], io: CliIo = processIo, cwd = process.cwd()): number {
  const [name, ...rest] = argv
  const command = name === undefined ? undefined : SUBCOMMANDS[name]
  if (command === undefined) {
    if (name === '--help' || name === '-h' || name === 'help') {
      io.out(RULES_USAGE)
      return 0
    }
    io.err(
      name === undefined
        ? RULES_USAGE
        : `socbox rules: unknown command '${name}'\n\n${RULES_USAGE}`,
    )
    return 2
  }
  return command(rest, io, cwd)
}
