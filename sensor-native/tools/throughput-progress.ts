/**
 * Progress of a long write on stderr: MB written, MB/s and ETA, at most twice a second on a
 * terminal and every few seconds otherwise (CI logs show life without flooding).
 */
export type ThroughputProgress = { update(bytes: number): void; done(bytes: number): string }

export function throughputProgress(
  label: string,
  totalBytes: number | undefined,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): ThroughputProgress {
  const started = now()
  const tty = stream.isTTY === true
  let last = started
  const line = (bytes: number) => {
    const seconds = (now() - started) / 1000
    const rate = seconds > 0 ? bytes / 1e6 / seconds : 0
    const eta =
      totalBytes && rate > 0
        ? `, eta ${Math.max(0, (totalBytes - bytes) / 1e6 / rate).toFixed(0)} s`
        : ''
    return `${label}: ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s, ${rate.toFixed(0)} MB/s${eta}`
  }
  return {
    update(bytes) {
      const t = now()
      if (t - last < (tty ? 500 : 5000)) return
      last = t
      stream.write(tty ? `\r\x1b[2K${line(bytes)}` : `${line(bytes)}\n`)
    },
    done(bytes) {
      const text = line(bytes).replace(/, eta .*$/, '')
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`)
      return text
    },
  }
}
