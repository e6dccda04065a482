// Alerts per capture + the dev set → what was caught, what was missed, what benign traffic raised.
import type { ExpectedCase } from './expected-cases.ts'

export type AlertSummary = { rule: string; class: string; severity: string; title: string }

export type CaseOutcome = {
  id: string
  label: string
  /** Threat cases: an alert of an expected class. Benign cases: no threat-class alert. */
  passed: boolean
  /** Threat-class alerts that are not of an expected class (benign: all threat alerts). */
  unexpected: AlertSummary[]
  matching: AlertSummary[]
  info: AlertSummary[]
}

export type Score = {
  cases: CaseOutcome[]
  /** Per label except BENIGN: cases detected of cases. */
  recall: Record<string, { detected: number; cases: number }>
  benign: { quiet: number; cases: number }
}

/** info.* and the service's health/contract classes never claim a threat. */
export const isThreatClass = (cls: string) => !/^(info|device|contract|intel)\./.test(cls)

export function scoreCases(
  cases: readonly ExpectedCase[],
  alertsByCapture: ReadonlyMap<string, readonly AlertSummary[]>,
): Score {
  const outcomes: CaseOutcome[] = []
  const recall: Score['recall'] = {}
  const benign = { quiet: 0, cases: 0 }
  for (const c of cases) {
    const alerts = alertsByCapture.get(c.path) ?? []
    const threats = alerts.filter((a) => isThreatClass(a.class))
    const matching = threats.filter((a) => c.classes.includes(a.class))
    const unexpected = threats.filter((a) => !c.classes.includes(a.class))
    const info = alerts.filter((a) => !isThreatClass(a.class))
    const passed = c.label === 'BENIGN' ? threats.length === 0 : matching.length > 0
    outcomes.push({ id: c.id, label: c.label, passed, unexpected, matching, info })
    if (c.label === 'BENIGN') {
      benign.cases++
      if (passed) benign.quiet++
    } else {
      const r = recall[c.label] ?? { detected: 0, cases: 0 }
      r.cases++
      if (passed) r.detected++
      recall[c.label] = r
    }
  }
  return { cases: outcomes, recall, benign }
}
