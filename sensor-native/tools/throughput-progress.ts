/**
 * Progress of a long write on stderr: MB written, MB/s and ETA, at most twice a second on a
 * terminal and every few seconds otherwise (CI logs show life without flooding). The ETA comes
 * from the bytes still to write or, when the size is not known ahead, from the share done.
 */
export type ThroughputProgress = {
  update(bytes: number, shareDone?: number): void
  done(bytes: number): string
}

export function throughputProgress(
  label: string,
  totalBytes: number | undefined,
  stream: NodeJS.WriteStream = process.stderr,
  now: () => number = () => performance.now(),
): ThroughputProgress {
  const started = now()
  const tty = stream.isTTY === true
  let last = started
  const line = (bytes: number, shareDone?: number) => {
    const seconds = (now() - started) / 1000
    const rate = seconds > 0 ? bytes / 1e6 / seconds : 0
    const left =
      totalBytes && rate > 0
        ? (totalBytes - bytes) / 1e6 / rate
        : shareDone
          ? (seconds * (1 - shareDone)) / shareDone
          : undefined
    const eta = left !== undefined ? `, eta ${Math.max(0, left).toFixed(0)} s` : ''
    return `${label}: ${(bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s, ${rate.toFixed(0)} MB/s${eta}`
  }
  return {
    update(bytes, shareDone) {
      const t = now()
      if (t - last < (tty ? 500 : 5000)) return
      last = t
      const text = line(bytes, shareDone)
      stream.write(tty ? `\r\x1b[2K${text}` : `${text}\n`)
    },
    done(bytes) {
      const text = line(bytes).replace(/, eta .*$/, '')
      stream.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`)
      return text
    },
  }
}
