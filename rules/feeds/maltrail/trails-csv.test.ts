import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { INTEL } from '../testing/shared-data.ts'
import { classOfTrailInfo } from './trail-info-class.ts'
import { parseTrailsCsv } from './trails-csv.ts'

const text = readFileSync(`${INTEL}/maltrail-corpus/trails.csv`, 'utf8')

describe('parseTrailsCsv', () => {
  // By hand: `wc -l trails.csv` → 20 rows; one is a regex (`dga[0-9]+\.wildcard-test\.com`).
  it('reads the Maltrail corpus trails', () => {
    const result = parseTrailsCsv({ feed: 'maltrail-corpus', source: 'trails.csv', text })
    expect(result.indicators.length).toBe(19)
    expect(result.errors.map((e) => [e.line, e.reason])).toEqual([
      [18, 'regular-expression trail (no literal to list)'],
    ])
    const find = (value: string) =>
      result.indicators.filter((i) => i.value === value).map((i) => [i.ioc, i.class, i.port])
    expect(find('dead::beef')).toEqual([
      ['ip', 'malware.c2', undefined],
      ['ip', 'malware.c2', 443],
    ])
    expect(find('6.6.6.6')).toEqual([['ip', 'malware.c2', 8443]])
    expect(find('/malicious-login.php')).toEqual([['url', 'malware.c2', undefined]])
    expect(find('evil-url.example/bad/path')).toEqual([['url', 'malware.c2', undefined]])
    expect(find('198.51.100.53')).toEqual([['ip', 'recon.scan', undefined]])
    expect(find('198.51.100.91')).toEqual([['ip', 'info.parking-site', undefined]])
  })
  it('reports malformed rows', () => {
    const result = parseTrailsCsv({
      feed: 'f',
      source: 's',
      text: 'a.example,malware\n"unclosed,x,y\nbad..example,malware,ref\n',
    })
    expect(result.errors.map((e) => e.reason)).toEqual([
      'expected trail,info,reference',
      'expected trail,info,reference',
      'domain: empty label',
    ])
  })
})

describe('classOfTrailInfo', () => {
  it.each([
    ['malware (test)', 'malware.c2'],
    ['botnet c2 (test)', 'malware.c2'],
    ['known attacker', 'recon.scan'],
    ['mass scanner', 'recon.scan'],
    ['phishing (test)', 'info.phishing'],
    ['sinkhole testsink (malware)', 'malware.c2'],
    ['parking site (suspicious)', 'info.parking-site'],
    ['dynamic domain (suspicious)', 'info.dynamic-domain'],
    ['tor exit node', 'suspicious.tor'],
    ['lockbit (malware)', 'malware.ransomware'],
  ])('%s → %s', (info, cls) => {
    expect(classOfTrailInfo(info)).toBe(cls)
  })
})
