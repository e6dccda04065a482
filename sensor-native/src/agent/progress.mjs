/**
 * Progress of a long read on stderr: a live line on a terminal, a line every few seconds
 * otherwise (so CI logs show life without flooding). Plain JavaScript, so `socbox events` starts
 * without TypeScript type stripping; the types are in progress.d.mts.
 */

/** @type {import('./progress.d.mts').progress} */
export function progress(label, stream = process.stderr) {
  const started = performance.now()
  const tty = stream.isTTY === true
  let last = 0
  let drawn = false
  return {
    update(stats, extra) {
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

/** @type {import('./progress.d.mts').describe} */
export function describe(label, s, seconds, extra) {
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
