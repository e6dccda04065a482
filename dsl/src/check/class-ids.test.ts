import { describe, expect, it } from 'vitest'
import { isClassId } from './class-ids.ts'

describe('isClassId', () => {
  it('accepts the service-terms ids, including hyphenated ones and info.*', () => {
    for (const id of [
      'suspicious.tor',
      'download.exploit-kit',
      'device.offline',
      'info.new-device',
    ]) {
      expect(isClassId(id)).toBe(true)
    }
  })

  it('rejects near misses', () => {
    for (const id of ['suspicious', 'Suspicious.tor', 'malware.c3', 'info.', 'info', 'tor']) {
      expect(isClassId(id)).toBe(false)
    }
  })
})
