/** The command line shared by the subcommands that read captures: FILE, --home-net and --plan. */
import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'

export class UsageError extends Error {}

/** `--home-net 10.0.0.0/8,192.168.1.0/24` → list of CIDRs (validated by the sensor). */
export function parseHomeNets(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  const nets = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
  if (nets.length === 0) throw new UsageError('--home-net needs at least one CIDR, e.g. 10.0.0.0/8')
  return nets
}

/**
 * The file of the match plan to apply, for the sensor to read itself (a pack of megabytes is not
 * parsed and re-serialised here first): `--plan FILE`, else the default rule pack when built.
 * What the file holds is checked by the sensor when the source opens.
 */
export function planFile(planPath: string | undefined): { file?: string; from: string } {
  if (planPath === 'none') return { from: 'none' }
  let path = planPath
  if (path === undefined) {
    try {
      path = createRequire(import.meta.url).resolve('@socbox/rules/pack')
    } catch {
      return { from: 'none (the default rule pack is not built: npm run build -w @socbox/rules)' }
    }
  }
  try {
    accessSync(path, constants.R_OK)
  } catch (err) {
    throw new UsageError(`cannot read the match plan ${path}: ${(err as Error).message}`)
  }
  return { file: path, from: path }
}

/** The source options the shared flags give (a subset of the addon's `SourceOptions`). */
export type CaptureSourceOptions = { homeNets?: string[]; planFile?: string }

export function sourceOptions(
  homeNet: string | undefined,
  planPath: string | undefined,
): { options: CaptureSourceOptions; planFrom: string } {
  const options: CaptureSourceOptions = {}
  const homeNets = parseHomeNets(homeNet)
  if (homeNets) options.homeNets = homeNets
  const { file, from } = planFile(planPath)
  if (file) options.planFile = file
  return { options, planFrom: from }
}

export type CaptureArgs = {
  file: string
  /** The command's own string options, beside the shared --home-net and --plan. */
  values: Record<string, string | undefined>
  options: ReturnType<typeof sourceOptions>
}

/**
 * The command line of a subcommand that reads one capture: FILE, --home-net, --plan, --help and
 * the command's own string options. Undefined means --help was asked; a UsageError explains
 * what is wrong.
 */
export function parseCaptureArgs(
  argv: string[],
  own: readonly string[] = [],
): CaptureArgs | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...Object.fromEntries(own.map((name) => [name, { type: 'string' }])),
      'home-net': { type: 'string' },
      plan: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  const { help, ...strings } = values
  if (help) return undefined
  const [file, ...more] = positionals
  if (file === undefined || more.length > 0) throw new UsageError('give exactly one capture file')
  return {
    file,
    // Every option but --help takes a string.
    values: strings as Record<string, string | undefined>,
    options: sourceOptions(strings['home-net'], strings.plan),
  }
}
