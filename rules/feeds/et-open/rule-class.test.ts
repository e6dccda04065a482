import { describe, expect, it } from 'vitest'
import { classOfEtRule } from './rule-class.ts'

describe('classOfEtRule', () => {
  it.each([
    ['ET SCAN NMAP OS Detection Probe', undefined, undefined, 'recon.scan'],
    ['ET TOR Known Tor Exit Node Traffic group 1', undefined, undefined, 'suspicious.tor'],
    ['ET EXPLOIT_KIT RIG EK Landing Page', undefined, undefined, 'site.exploit'],
    ['ET EXPLOIT_KIT Magnitude EK Payload Download', undefined, undefined, 'download.exploit-kit'],
    ['ET MALWARE Win32/Pikabot CnC Activity', 'trojan-activity', 'Pikabot', 'malware.c2'],
    ['ET MALWARE Observed LockBit Domain', 'trojan-activity', 'LockBit', 'malware.ransomware'],
    ['ET MALWARE Payload Download Request', 'trojan-activity', undefined, 'download.malware'],
    [
      'ET CURRENT_EVENTS SocGholish Domain in DNS Lookup',
      'trojan-activity',
      undefined,
      'site.compromised',
    ],
    ['ET CURRENT_EVENTS Keitaro TDS Redirect', 'bad-unknown', undefined, 'site.redirector'],
    [
      'ET CURRENT_EVENTS Credit Card Scam Exfil Domain',
      'credential-theft',
      undefined,
      'info.phishing',
    ],
    ['ET PHISHING Chase Account Phish Landing', 'social-engineering', undefined, 'info.phishing'],
    ['ET POLICY Observed DNS Query to .onion proxy', 'bad-unknown', undefined, 'info.policy'],
    [
      'ET NETBIOS DCERPC SVCCTL - Remote Service Control Manager Access',
      'attempted-admin',
      undefined,
      'malware.lateral',
    ],
    ['ET JA3 Hash - Suspected Cobalt Strike', 'command-and-control', undefined, 'malware.c2'],
    [
      'SSLBL: Malicious SSL certificate detected (TorrentLocker C&C)',
      undefined,
      undefined,
      'malware.ransomware',
    ],
    ['Outbound connection to known malware host', undefined, undefined, 'info.unknown'],
    [
      'ET Threatview.io High Confidence Cobalt Strike C2 IP group 1',
      'misc-attack',
      undefined,
      'malware.c2',
    ],
  ])('%s → %s', (msg, classtype, malwareFamily, expected) => {
    const facts: { msg: string; classtype?: string; malwareFamily?: string } = { msg }
    if (classtype) facts.classtype = classtype
    if (malwareFamily) facts.malwareFamily = malwareFamily
    expect(classOfEtRule(facts)).toBe(expected)
  })
})
