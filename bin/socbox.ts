#!/usr/bin/env node
// The one CLI for users. Each subcommand lives in the workspace that owns it; this file only
// routes, so that `npx socbox …` works from the repo root without a build step.
import { COMMANDS, usage } from './commands.ts'

const [name, ...rest] = process.argv.slice(2)

if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
  process.stdout.write(usage())
  process.exit(name === undefined ? 2 : 0)
}

const command = COMMANDS.find((c) => c.name === name)
if (!command) {
  process.stderr.write(`socbox: unknown command '${name}'.\n\n${usage()}`)
  process.exit(2)
}

try {
  const mod = (await import(command.module)) as { main(argv: string[]): Promise<number> | number }
  process.exitCode = await mod.main(rest)
} catch (err) {
  // A bug in a subcommand should still read as a message, not a stack trace.
  const message = err instanceof Error ? err.message : String(err)
  process.stderr.write(`socbox ${name}: ${message}\n`)
  if (process.env.SOCBOX_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`)
  process.exitCode = 1
}
