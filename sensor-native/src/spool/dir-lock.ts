/**
 * One agent per spool directory: two writers would interleave lsns and corrupt each other's
 * segments. The lock is a `lock` file holding the owner's pid, created exclusively. A lock whose
 * process is gone (the agent was killed) is taken over; so is one held by this very process
 * (a spool reopened in-process after a simulated crash).
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs'
import { join } from 'node:path'

export class SpoolBusyError extends Error {
  override readonly name = 'SpoolBusyError'
}

export function lockDirectory(dir: string): () => void {
  const path = join(dir, 'lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return () => unlinkSync(path)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const owner = Number(readFileSync(path, 'utf8'))
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new SpoolBusyError(
        `the spool ${dir} is in use by process ${owner}; stop that agent or give this one another --spool-dir`,
      )
    }
    unlinkSync(path)
  }
  throw new SpoolBusyError(`the spool ${dir} is being locked by another process at the same moment`)
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
