/** Running tshark: its output, or the failure as a value (a capture tshark cannot read is data). */
import { spawnSync } from 'node:child_process'

export const TSHARK = process.env.TSHARK ?? 'tshark'

export function runTshark(args: string[]): string | Error {
  const run = spawnSync(TSHARK, args, { encoding: 'utf8', maxBuffer: 1 << 30 })
  if (run.error) return run.error
  if (run.status !== 0) {
    const why = run.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user'))
    return new Error(`tshark ${args.join(' ')} exited ${run.status}: ${why.join(' ')}`)
  }
  return run.stdout
}

/** e.g. `4.0.17`, from `TShark (Wireshark) 4.0.17 (Git v4.0.17 packaged as …)`. */
export function tsharkVersion(): string | Error {
  const out = runTshark(['--version'])
  if (out instanceof Error) return out
  const version = /^TShark \(Wireshark\) (\S+)/m.exec(out)?.[1]
  return version ?? new Error(`cannot read tshark's version from: ${out.split('\n')[0]}`)
}
