/**
 * Progress of a long read on stderr: a live line on a terminal, a line every few seconds
 * otherwise (so CI logs show life without flooding). The `socbox events` program writes the same
 * lines (sensor-native/crates/socbox-cli/src/progress.rs).
 */

import type { SourceStats } from '../native.ts'

/** What a progress line reads of a source's stats. */
export type ProgressStats = Pick<
  SourceStats,
  'packets' | 'bytes' | 'malformed' | 'events' | 'offset' | 'size'
>

export type Progress = { update(stats: ProgressStats, extra?: string): void; done(): void }

export function progress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now()
  const tty = stream.isTTY === true
  let last = 0
  let drawn = false
  return {
    update(stats: ProgressStats, extra?: string) {
      const now = performance.now()
      if (now - last < (tty ? 100 : 5000)) return
      last = now
      const line = describe(label, stats, (now - started) / 1000, extra)
      if (tty) {
        stream.write(`\r\x1b[2K${line}`)
        drawn = true
      } else stream.write(`${line}\n`)
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K')
    },
  }
}

export function describe(label: string, s: ProgressStats, seconds: number, extra?: string): string {
  const pct = s.size > 0 ? Math.min(100, (100 * s.offset) / s.size) : 100
  const gbits = seconds > 0 ? (s.bytes * 8) / seconds / 1e9 : 0
  const eta = pct > 0 && pct < 100 ? ` eta ${((seconds * (100 - pct)) / pct).toFixed(0)}s` : ''
  const parts = [
    `${label} ${pct.toFixed(0)}%`,
    `${s.packets} packets`,
    `${gbits.toFixed(2)} Gbit/s`,
    `${s.events} events`,
  ]
  if (s.malformed > 0) parts.push(`${s.malformed} malformed`)
  if (extra) parts.push(extra)
  return parts.join(' · ') + eta
}
