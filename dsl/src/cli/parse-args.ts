// A tiny argv reader: one positional PATH and --name value / --flag options.
export type ParsedArgs = { positional: string[]; options: Map<string, string | true> }

export function parseArgs(argv: string[], valued: readonly string[]): ParsedArgs {
  const positional: string[] = []
  const options = new Map<string, string | true>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const [name = '', inline] = arg.slice(2).split('=', 2)
    if (valued.includes(name)) {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new Error(`--${name} needs a value`)
      options.set(name, value)
    } else options.set(name, true)
  }
  return { positional, options }
}
