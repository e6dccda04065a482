// The dev set: EXPECTED.tsv of the shared data, one labelled capture per line. A label names a
// capture folder (RECON, MALSITE…); it maps to the class ids an alert must carry to count.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export type ExpectedCase = {
  id: string
  label: string
  /** Absolute path of the capture. */
  path: string
  outcome: string
  /** Class ids that count as detecting it; empty for benign captures. */
  classes: string[]
}

// site.* and download.* labels accept any kind of their group: the publishers' labels say
// "malicious site" or "malicious download", not which kind.
export const LABEL_CLASSES: Record<string, string[]> = {
  RECON: ['recon.scan'],
  MALSITE: [
    'site.redirector',
    'site.compromised',
    'site.malvertising',
    'site.exploit',
    'site.fingerprint',
  ],
  MALDL: ['download.malware', 'download.exploit-kit'],
  C2: ['malware.c2'],
  RANSOM: ['malware.ransomware'],
  LATERAL: ['malware.lateral'],
  TOR: ['suspicious.tor'],
  BENIGN: [],
}

export type ParsedCases = { cases: ExpectedCase[]; problems: string[] }

export function parseExpectedTsv(text: string, dataDir: string): ParsedCases {
  const [header, ...rows] = text.split('\n').filter((line) => line.trim() !== '')
  const columns = (header ?? '').split('\t')
  const col = (name: string) => columns.indexOf(name)
  const [idCol, labelCol, pathCol, outcomeCol] = [
    col('id'),
    col('class'),
    col('path'),
    col('expected_outcome'),
  ]
  if ([idCol, labelCol, pathCol, outcomeCol].includes(-1))
    return {
      cases: [],
      problems: ['EXPECTED.tsv lacks one of the columns id, class, path, expected_outcome'],
    }
  const cases: ExpectedCase[] = []
  const problems: string[] = []
  rows.forEach((row, i) => {
    const cells = row.split('\t')
    const label = cells[labelCol] ?? ''
    const classes = LABEL_CLASSES[label]
    if (classes === undefined) {
      problems.push(`line ${i + 2}: unknown label ${JSON.stringify(label)}`)
      return
    }
    cases.push({
      id: cells[idCol] ?? '',
      label,
      path: join(dataDir, cells[pathCol] ?? ''),
      outcome: cells[outcomeCol] ?? '',
      classes,
    })
  })
  return { cases, problems }
}

export function readExpectedCases(dataDir: string): ParsedCases {
  return parseExpectedTsv(readFileSync(join(dataDir, 'EXPECTED.tsv'), 'utf8'), dataDir)
}
