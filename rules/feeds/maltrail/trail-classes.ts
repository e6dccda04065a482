// Maltrail files say *what* a trail is by folder and file name, not by a class id. This table
// turns that into socbox classes. Rules of thumb (service-terms.md, "How to choose"):
// - a family-specific class wins: ransomware families → malware.ransomware, not malware.c2;
// - a list that names infrastructure of a threat class maps to it (TDS → site.redirector,
//   exploit kits → site.exploit, skimmer/injection kits → site.compromised);
// - anything that is context rather than a threat (PUA, dynamic DNS, parking, scanner ranges)
//   goes to info.*, so that no threat alert fires on it alone (shared/data/README "Known gaps").
import { isRansomwareName } from '../model/family-class.ts'

export interface TrailClass {
  class: string
  /** Why this class: shown in the build report so the mapping can be reviewed. */
  why: string
}

/** Malicious-folder files that are not C&C frameworks, by exact name. */
const MALICIOUS_BY_NAME: Readonly<Record<string, TrailClass>> = {
  socgholish: {
    class: 'site.compromised',
    why: 'SocGholish injects fake updates into compromised sites',
  },
  wp_inject: {
    class: 'site.compromised',
    why: 'scripts injected into compromised WordPress sites',
  },
  domain_shadowing: {
    class: 'site.compromised',
    why: 'subdomains added to hijacked legitimate domains',
  },
  scareware: { class: 'site.malvertising', why: 'fake-alert pages reached through malicious ads' },
  browser_locker: {
    class: 'site.malvertising',
    why: 'tech-support scam lockers served via ad traffic',
  },
  pushbug: { class: 'site.malvertising', why: 'push-notification ad abuse' },
  bad_script: { class: 'site.compromised', why: 'malicious scripts embedded in third-party pages' },
  gophish: {
    class: 'info.phishing',
    why: 'phishing kit infrastructure (no phishing threat class)',
  },
  evilginx: { class: 'info.phishing', why: 'phishing reverse proxy' },
  georgeginx: { class: 'info.phishing', why: 'phishing reverse proxy' },
  '365stealer_phishtool': { class: 'info.phishing', why: 'consent-phishing tool' },
  telekopye_scamtool: { class: 'info.phishing', why: 'scam/phishing bot infrastructure' },
  bad_proxy: {
    class: 'info.bad-proxy',
    why: 'open or abused proxies: context, not a threat alone',
  },
  bad_service: { class: 'info.bad-service', why: 'abused online services: context' },
  rogue_dns: { class: 'malware.c2', why: 'rogue resolvers set by DNS-changer malware' },
  psransom_c2: { class: 'malware.ransomware', why: 'ransomware family C&C' },
  interactsh: {
    class: 'recon.scan',
    why: 'out-of-band callback host used by vulnerability probes',
  },
  spamtool: { class: 'info.spam', why: 'spam infrastructure' },
  sms_flooder: { class: 'info.spam', why: 'SMS flooding service' },
  woof: { class: 'info.file-sharing', why: 'ad-hoc file sharing tool' },
  ligolo_tunnel: { class: 'malware.c2', why: 'attacker tunnelling tool' },
}

const SUSPICIOUS_BY_NAME: Readonly<Record<string, TrailClass>> = {
  onion: { class: 'suspicious.tor', why: 'Tor2web gateways reach Tor hidden services' },
  domain: {
    class: 'info.suspicious-domain',
    why: 'abused TLDs and free-domain providers (whole suffixes)',
  },
}

function isRansomware(stem: string): boolean {
  // `…locker` file names are ransomware families in Maltrail (almalocker, xinglocker, …).
  return isRansomwareName(stem) || /locker$/.test(stem)
}

/** `path` is relative to trails/static, e.g. `malware/zeus.txt` or `mass_scanner.txt`. */
export function classifyTrailFile(path: string): TrailClass {
  const slash = path.lastIndexOf('/')
  const folder = slash === -1 ? '' : path.slice(0, slash)
  const stem = path
    .slice(slash + 1)
    .replace(/\.txt$/, '')
    .trim()
  if (folder === '') {
    if (stem === 'mass_scanner')
      return { class: 'recon.scan', why: 'hosts of known internet-wide scanners' }
    if (stem === 'mass_scanner_cidr') {
      return {
        class: 'info.scanner-range',
        why: 'whole /24s around scanners: hits benign cloud traffic',
      }
    }
    return { class: `info.maltrail-${stem}`, why: 'top-level trail file without a known meaning' }
  }
  if (folder === 'malware') {
    if (isRansomware(stem))
      return { class: 'malware.ransomware', why: 'ransomware family (name or known family)' }
    if (stem.startsWith('hacked_')) {
      return { class: 'download.malware', why: 'trojanised software supply-chain downloads' }
    }
    return {
      class: 'malware.c2',
      why: 'malware family infrastructure (C&C, sinkholes of C&C, droppers)',
    }
  }
  if (folder === 'malicious') {
    const named = MALICIOUS_BY_NAME[stem]
    if (named) return named
    if (stem.startsWith('ek_'))
      return { class: 'site.exploit', why: 'exploit kit landing and gate hosts' }
    if (stem.endsWith('_tds') || stem.includes('tds')) {
      return { class: 'site.redirector', why: 'traffic distribution system (redirector)' }
    }
    if (stem.endsWith('core'))
      return { class: 'site.compromised', why: 'web-skimmer kit injected into shops' }
    return {
      class: 'malware.c2',
      why: 'offensive framework or botnet C&C (e.g. Sliver, Havoc, Mythic)',
    }
  }
  if (folder === 'suspicious') {
    const named = SUSPICIOUS_BY_NAME[stem]
    if (named) return named
    return {
      class: `info.${stem.replace(/_/g, '-')}`,
      why: 'suspicious context, never a threat alone',
    }
  }
  return { class: `info.maltrail-${folder}`, why: 'unknown Maltrail folder' }
}
