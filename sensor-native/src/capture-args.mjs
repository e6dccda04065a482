/**
 * The command line shared by the subcommands that read captures: FILE, --home-net and --plan.
 * Plain JavaScript, so `socbox events` starts without TypeScript type stripping; the types are in
 * capture-args.d.mts and options.ts re-exports them for the other commands.
 */
import { accessSync, constants } from 'node:fs'
import { createRequire } from 'node:module'
import { parseArgs } from 'node:util'

export class UsageError extends Error {}

/** @type {import('./capture-args.d.mts').parseHomeNets} */
export function parseHomeNets(value) {
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
 * @type {import('./capture-args.d.mts').planFile}
 */
export function planFile(planPath) {
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
    throw new UsageError(`cannot read the match plan ${path}: ${err.message}`)
  }
  return { file: path, from: path }
}

/** @type {import('./capture-args.d.mts').sourceOptions} */
export function sourceOptions(homeNet, planPath) {
  /** @type {{ homeNets?: string[]; planFile?: string }} */
  const options = {}
  const homeNets = parseHomeNets(homeNet)
  if (homeNets) options.homeNets = homeNets
  const { file, from } = planFile(planPath)
  if (file) options.planFile = file
  return { options, planFrom: from }
}

/**
 * The command line of a subcommand that reads one capture: FILE, --home-net, --plan, --help and
 * the command's own string options. Undefined means --help was asked; a UsageError explains
 * what is wrong.
 * @type {import('./capture-args.d.mts').parseCaptureArgs}
 */
export function parseCaptureArgs(argv, own = []) {
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
  if (values.help) return undefined
  if (positionals.length !== 1) throw new UsageError('give exactly one capture file')
  return {
    file: positionals[0],
    values,
    options: sourceOptions(values['home-net'], values.plan),
  }
}
