import { describe, expect, it } from 'vitest'
import { classOfMalwareLabel, isRansomwareName } from './family-class.ts'

describe('classOfMalwareLabel', () => {
  it.each([
    ['TorrentLocker C&C', 'malware.ransomware'],
    ['Ransomware.Troldesh', 'malware.ransomware'],
    ['LockBit', 'malware.ransomware'],
    ['AsyncRAT C&C', 'malware.c2'],
    ['Pikabot', 'malware.c2'],
    ['Shylock C&C', 'malware.c2'],
    ['Adware', 'info.adware'],
  ])('%s → %s', (label, cls) => {
    expect(classOfMalwareLabel(label)).toBe(cls)
  })
  it('matches families as whole words, not substrings', () => {
    expect(isRansomwareName('contiguous-loader')).toBe(false)
    expect(isRansomwareName('win_conti')).toBe(true)
  })
})
