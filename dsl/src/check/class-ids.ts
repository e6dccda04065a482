// Alert class ids, from shared/design/service-terms.md: the twelve threat classes, then the
// non-threat classes (sensor health, contract limits, feeds) and the open `info.*` family.

export const THREAT_CLASS_IDS = [
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

export const OTHER_CLASS_IDS = [
  'device.offline',
  'device.drops',
  'device.visibility',
  'contract.bandwidth',
  'contract.endpoints',
  'intel.feed',
] as const

export function isClassId(id: string): boolean {
  return (
    (THREAT_CLASS_IDS as readonly string[]).includes(id) ||
    (OTHER_CLASS_IDS as readonly string[]).includes(id) ||
    /^info\.[a-z0-9]+(?:[.-][a-z0-9]+)*$/.test(id)
  )
}
