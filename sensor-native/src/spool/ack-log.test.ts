import { appendFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { AckLog } from './ack-log.ts'

describe('AckLog', () => {
  it('gives the highest acknowledged lsn, ignoring a torn last entry, and empties on clear', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-acklog-'))
    expect(AckLog.highest(dir)).toBe(-1)
    const log = new AckLog(dir)
    log.append(3)
    log.append(9)
    appendFileSync(join(dir, 'acks.log'), Buffer.from([0x20, 0, 0, 0, 0, 0, 0])) // torn
    expect(AckLog.highest(dir)).toBe(9)
    log.clear()
    expect(AckLog.highest(dir)).toBe(-1)
    log.append(12)
    expect(AckLog.highest(dir)).toBe(12)
    log.close()
  })
})
