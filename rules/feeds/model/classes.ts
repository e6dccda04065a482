// Threat class ids of the service (shared/design/service-terms.md). Everything a feed lists must
// land in one of these or in an `info.*` class; no other class may appear in a list.
export const THREAT_CLASSES = [
  'recon.scan',
  'site.redirector',
  'site.compromised',
  'site.malvertising',
  'site.exploit',
  'site.fingerprint',
  'download.malware',
  'download.exploit-kit',
  'malware.c2',
  'malware.ransomware',
  'malware.lateral',
  'suspicious.tor',
] as const

export type ThreatClass = (typeof THREAT_CLASSES)[number]

export function isListClass(cls: string): boolean {
  return (
    (THREAT_CLASSES as readonly string[]).includes(cls) ||
    /^info\.[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(cls)
  )
}
