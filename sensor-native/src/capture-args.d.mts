export class UsageError extends Error {}

/** `--home-net 10.0.0.0/8,192.168.1.0/24` → list of CIDRs (validated by the sensor). */
export function parseHomeNets(value: string | undefined): string[] | undefined

export function planFile(planPath: string | undefined): { file?: string; from: string }

/** The source options the shared flags give (a subset of the addon's `SourceOptions`). */
export type CaptureSourceOptions = { homeNets?: string[]; planFile?: string }

export function sourceOptions(
  homeNet: string | undefined,
  planPath: string | undefined,
): { options: CaptureSourceOptions; planFrom: string }

export type CaptureArgs = {
  file: string
  /** The command's own string options, beside the shared --home-net and --plan. */
  values: Record<string, string | undefined>
  options: ReturnType<typeof sourceOptions>
}

export function parseCaptureArgs(argv: string[], own?: readonly string[]): CaptureArgs | undefined
