import { describe, expect, it } from 'vitest'
import { isOutdated } from './version.ts'

describe('isOutdated', () => {
  it('compares dotted versions numerically', () => {
    expect(isOutdated('0.9.0', '0.10.0')).toBe(true)
    expect(isOutdated('0.10.0', '0.10.0')).toBe(false)
    expect(isOutdated('1.0', '0.10.0')).toBe(false)
    expect(isOutdated('0.10.0-rc.1', '0.10.0')).toBe(false)
  })

  it('flags unknown versions and ignores an unset minimum', () => {
    expect(isOutdated(undefined, '0.1.0')).toBe(true)
    expect(isOutdated('banana', '0.1.0')).toBe(true)
    expect(isOutdated('0.0.1', undefined)).toBe(false)
  })
})
