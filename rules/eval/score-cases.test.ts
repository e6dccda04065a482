import { describe, expect, it } from 'vitest'
import type { ExpectedCase } from './expected-cases.ts'
import { type AlertSummary, isThreatClass, scoreCases } from './score-cases.ts'

const kase = (id: string, label: string, classes: string[]): ExpectedCase => ({
  id,
  label,
  path: `/d/${id}.pcap`,
  outcome: '',
  classes,
})
const alert = (cls: string): AlertSummary => ({ rule: 'R', class: cls, severity: 'low', title: '' })

describe('scoreCases', () => {
  const cases = [
    kase('A', 'RECON', ['recon.scan']),
    kase('B', 'RECON', ['recon.scan']),
    kase('C', 'C2', ['malware.c2']),
    kase('N', 'BENIGN', []),
    kase('M', 'BENIGN', []),
  ]
  const alerts = new Map([
    ['/d/A.pcap', [alert('recon.scan')]],
    ['/d/B.pcap', [alert('malware.c2')]],
    ['/d/N.pcap', [alert('info.dynamic-dns')]],
    ['/d/M.pcap', [alert('suspicious.tor')]],
  ])
  const score = scoreCases(cases, alerts)

  it('counts a threat case as detected only by an alert of an expected class', () => {
    expect(score.recall).toEqual({
      RECON: { detected: 1, cases: 2 },
      C2: { detected: 0, cases: 1 },
    })
    expect(score.cases.find((c) => c.id === 'B')?.unexpected.map((a) => a.class)).toEqual([
      'malware.c2',
    ])
  })

  it('lets benign captures raise info findings but no threat alert', () => {
    expect(score.benign).toEqual({ quiet: 1, cases: 2 })
    expect(score.cases.find((c) => c.id === 'N')?.info).toHaveLength(1)
    expect(score.cases.find((c) => c.id === 'M')?.passed).toBe(false)
  })

  it('knows which classes claim a threat', () => {
    expect(['recon.scan', 'info.x', 'device.offline', 'intel.feed'].map(isThreatClass)).toEqual([
      true,
      false,
      false,
      false,
    ])
  })
})
