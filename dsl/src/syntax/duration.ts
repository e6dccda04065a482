// `250ms`, `30s`, `5m`, `1h`, `7d` → milliseconds.
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

export function durationMs(image: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(image)
  if (!match) throw new Error(`not a duration: ${image}`)
  return Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0)
}

/** The shortest exact spelling, for the formatter. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] ?? 1
    if (ms > 0 && ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}
