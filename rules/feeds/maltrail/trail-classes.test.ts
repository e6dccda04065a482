import { describe, expect, it } from 'vitest'
import { classifyTrailFile } from './trail-classes.ts'

describe('classifyTrailFile', () => {
  it.each([
    ['malware/zeus.txt', 'malware.c2'],
    ['malware/apt_sofacy.txt', 'malware.c2'],
    ['malware/conti.txt', 'malware.ransomware'],
    ['malware/stop_ransomware.txt', 'malware.ransomware'],
    ['malware/android_simplocker.txt', 'malware.ransomware'],
    ['malware/shylock.txt', 'malware.c2'], // a banking trojan, despite "lock"
    ['malware/hacked_3cx.txt', 'download.malware'],
    ['malicious/ek_rig.txt', 'site.exploit'],
    ['malicious/keitaro_tds.txt', 'site.redirector'],
    ['malicious/socgholish.txt', 'site.compromised'],
    ['malicious/magentocore.txt', 'site.compromised'],
    ['malicious/sliver.txt', 'malware.c2'],
    ['malicious/psransom_c2.txt', 'malware.ransomware'],
    ['malicious/browser_locker.txt', 'site.malvertising'],
    ['malicious/gophish.txt', 'info.phishing'],
    ['suspicious/onion.txt', 'suspicious.tor'],
    ['suspicious/dynamic_domain.txt', 'info.dynamic-domain'],
    ['suspicious/domain.txt', 'info.suspicious-domain'],
    ['mass_scanner.txt', 'recon.scan'],
    ['mass_scanner_cidr.txt', 'info.scanner-range'],
  ])('%s → %s', (path, cls) => {
    expect(classifyTrailFile(path).class).toBe(cls)
  })
})
