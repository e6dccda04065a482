import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lockDirectory, SpoolBusyError } from './dir-lock.ts'

const dir = () => mkdtempSync(join(tmpdir(), 'socbox-lock-'))

describe('lockDirectory', () => {
  it('refuses a spool held by another living process', () => {
    const d = dir()
    writeFileSync(join(d, 'lock'), String(process.ppid))
    expect(() => lockDirectory(d)).toThrow(SpoolBusyError)
    expect(() => lockDirectory(d)).toThrow(`in use by process ${process.ppid}`)
  })

  it('takes over the lock of a process that is gone, and releases it', () => {
    const d = dir()
    const gone = spawnSync(process.execPath, ['-e', '0']).pid as number
    writeFileSync(join(d, 'lock'), String(gone))
    const release = lockDirectory(d)
    expect(existsSync(join(d, 'lock'))).toBe(true)
    release()
    expect(existsSync(join(d, 'lock'))).toBe(false)
  })
})
