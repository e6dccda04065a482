// Maltrail's compiled trails.csv says what a trail is in its `info` column ("malware",
// "known attacker", "parking site (suspicious)", "sinkhole xyz (malware)"). Same principles as
// trail-classes.ts: a family-specific class wins; context is info.*.
import { classOfMalwareLabel } from '../model/family-class.ts'

const BY_WORDING: readonly [RegExp, string][] = [
  [/\btor\b/, 'suspicious.tor'],
  [/mass scanner|known attacker|scanner/, 'recon.scan'],
  [/phish/, 'info.phishing'],
  [/exploit kit|\bek\b/, 'site.exploit'],
  [/\btds\b|redirect/, 'site.redirector'],
  [/sinkhole/, 'malware.c2'], // a host calling a sinkhole is infected
]

export function classOfTrailInfo(info: string): string {
  const text = info
    .toLowerCase()
    .replace(/\s*\(test\)\s*/g, ' ')
    .trim()
  for (const [pattern, cls] of BY_WORDING) if (pattern.test(text)) return cls
  const suspicious = /^(.*?)\s*\(suspicious\)$/.exec(text)
  if (suspicious || text === 'suspicious') {
    const what = (suspicious?.[1] ?? 'suspicious').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')
    return `info.${what || 'suspicious'}`
  }
  return classOfMalwareLabel(text)
}
