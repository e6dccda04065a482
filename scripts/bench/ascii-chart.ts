// A horizontal bar chart for terminals, of values against their targets.

export type TargetBar = {
  label: string
  value: number
  target: number
  unit?: string
  atMost?: boolean
}

/**
 * One row per value, each scaled to its own target, which sits at the same column (`|`) in every
 * row: rows of different units (Gbit/s, ×, MB) read alike, as the share of their target reached.
 * Bars past the target run on to the edge. `atMost`: the target is a ceiling (memory).
 */
export function targetChart(bars: TargetBar[], width = 40): string {
  const at = Math.round(width * 0.75) - 1
  const labelWidth = Math.max(...bars.map((b) => b.label.length))
  return bars
    .map((b) => {
      const share = b.value / b.target
      const cells: string[] = Array.from({ length: width }, (_, i) =>
        (i + 0.5) / (at + 1) <= share ? '█' : i === at ? '|' : ' ',
      )
      const met = b.atMost ? b.value <= b.target : b.value >= b.target
      const unit = b.unit ?? ''
      const target = `${b.atMost ? '≤ ' : ''}${fmt(b.target)}${unit}`
      return `${b.label.padEnd(labelWidth)} ${cells.join('')} ${fmt(b.value)}${unit} (target ${target}: ${met ? 'met' : 'not met'})`
    })
    .join('\n')
}

function fmt(n: number): string {
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)
}
