/** Options shared by the subcommands that read captures: home networks and the match plan. */
import { readFileSync } from 'node:fs'
import { planFile, UsageError } from './capture-args.ts'
import { type FileSource, native, type SourceOptions } from './native.ts'

export {
  type CaptureArgs,
  parseCaptureArgs,
  parseHomeNets,
  planFile,
  sourceOptions,
  UsageError,
} from './capture-args.ts'

/**
 * The match plan the sensor applies natively. A pack file holds it under `plan`; a bare plan file
 * is accepted too. Without `--plan`, the default rule pack's plan is used when it has been built.
 */
export function loadPlan(planPath: string | undefined): { plan?: string; from: string } {
  const { file: path, from } = planFile(planPath)
  if (path === undefined) return { from }
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
