/**
 * A text histogram of latencies for a terminal: buckets doubling in width (so both the bulk
 * and the tail show), one bar per bucket scaled to the fullest, with counts and shares.
 */
export function latencyChart(latenciesMs: readonly number[], width = 40): string {
  if (latenciesMs.length === 0) return '  (no latencies)'
  const edges: number[] = [1]
  const max = Math.max(...latenciesMs)
  while ((edges.at(-1) as number) <= max) edges.push((edges.at(-1) as number) * 2)
  const counts = new Array<number>(edges.length).fill(0)
  for (const ms of latenciesMs) {
    const found = edges.findIndex((edge) => ms < edge)
    const i = found === -1 ? edges.length - 1 : found
    counts[i] = (counts[i] ?? 0) + 1
  }
  const first = counts.findIndex((n) => n > 0)
  const last = counts.length - 1 - [...counts].reverse().findIndex((n) => n > 0)
  const peak = Math.max(...counts)
  const lines: string[] = []
  for (let i = first; i <= last; i++) {
    const lo = i === 0 ? 0 : (edges[i - 1] as number)
    const hi = edges[i] as number
    const n = counts[i] as number
    const bar = '█'.repeat(Math.round((n / peak) * width)) || (n > 0 ? '▏' : '')
    const share = ((n / latenciesMs.length) * 100).toFixed(1).padStart(5)
    lines.push(
      `  ${`${lo}–${hi} ms`.padStart(16)} │${bar.padEnd(width)} ${String(n).padStart(6)} ${share}%`,
    )
  }
  return lines.join('\n')
}
