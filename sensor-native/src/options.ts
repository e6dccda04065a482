/** Options shared by the subcommands that read captures: home networks and the match plan. */
import { accessSync, constants, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'
import { type FileSource, native, type SourceOptions } from './native.ts'

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
 * The match plan the sensor applies natively. A pack file holds it under `plan`; a bare plan file
 * is accepted too. Without `--plan`, the default rule pack's plan is used when it has been built.
 */
export function loadPlan(planPath: string | undefined): { plan?: string; from: string } {
  if (planPath === 'none') return { from: 'none' }
  let path = planPath
  if (path === undefined) {
    try {
      path = createRequire(import.meta.url).resolve('@socbox/rules/pack')
    } catch {
      return { from: 'none (the default rule pack is not built: npm run build -w @socbox/rules)' }
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new UsageError(`cannot read the match plan ${path}: ${(err as Error).message}`)
  }
  const plan = isRecord(parsed) && isRecord(parsed.plan) ? parsed.plan : parsed
  if (!isRecord(plan) || plan.v !== 1) {
    throw new UsageError(`${path} is neither a rule pack nor a match plan v1 (no "v": 1)`)
  }
  return { plan: JSON.stringify(plan), from: path }
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

export function sourceOptions(homeNet: string | undefined, planPath: string | undefined) {
  const options: SourceOptions = {}
  const homeNets = parseHomeNets(homeNet)
  if (homeNets) options.homeNets = homeNets
  const { file, from } = planFile(planPath)
  if (file) options.planFile = file
  return { options, planFrom: from }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/**
 * Opens a capture for a subcommand, or explains on stderr why it cannot (unreadable file, not a
 * capture) and returns undefined, so each command exits 2 the same way.
 */
export function openCapture(
  command: string,
  file: string,
  options: SourceOptions,
): FileSource | undefined {
  try {
    return new (native().FileSource)(file, options)
  } catch (err) {
    process.stderr.write(`socbox ${command}: ${(err as Error).message}\n`)
    return undefined
  }
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
      ...Object.fromEntries(own.map((name) => [name, { type: 'string' as const }])),
      'home-net': { type: 'string' },
      plan: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  })
  if (values.help) return undefined
  if (positionals.length !== 1) throw new UsageError('give exactly one capture file')
  const strings = values as Record<string, string | undefined>
  return {
    file: positionals[0] as string,
    values: strings,
    options: sourceOptions(strings['home-net'], strings.plan),
  }
}
