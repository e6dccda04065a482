import { describe, expect, it } from 'vitest'
import { classCoverage, uncovered } from './class-coverage.ts'
import type { CaseOutcome } from './score-cases.ts'

const alert = (cls: string) => ({ rule: 'SB-X-0001', class: cls, severity: 'high', title: 't' })
const outcome = (id: string, passed: boolean, classes: string[]): CaseOutcome => ({
  id,
  label: 'C2',
  passed,
  unexpected: [],
  matching: classes.map(alert),
  info: [],
})

describe('classCoverage', () => {
  it('counts a class as covered by a passing real case or a generated case that detected something', () => {
    const coverage = classCoverage(
      ['malware.c2', 'site.redirector', 'site.fingerprint', 'suspicious.tor'],
      [outcome('D044', true, ['malware.c2']), outcome('D090', false, ['suspicious.tor'])],
      [
        { class: 'site.redirector', list: 'site.redirector.domain', entries: 20, detected: 20 },
        {
          class: 'site.fingerprint',
          list: 'disconnect:FingerprintingInvasive',
          entries: 380,
          detected: 0,
        },
      ],
    )
    expect(coverage[0]).toEqual({ class: 'malware.c2', real: ['D044'], generated: [] })
    expect(coverage[1]?.generated).toEqual(['site.redirector.domain'])
    expect(uncovered(coverage)).toEqual(['site.fingerprint', 'suspicious.tor'])
  })
})
