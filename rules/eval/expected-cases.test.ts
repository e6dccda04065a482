import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseExpectedTsv, readExpectedCases } from './expected-cases.ts'
import { SHARED_DATA } from './shared-data.ts'

const HEADER = 'id\tclass\tpath\tbytes\texpected_outcome'

describe('parseExpectedTsv', () => {
  it('maps labels to the class ids that detect them, benign to none', () => {
    const text = `${HEADER}\nD1\tRECON\tRECON/a.pcap\t1\tscan\nD2\tBENIGN\tBENIGN/b.pcap\t2\tno alert\n`
    const { cases, problems } = parseExpectedTsv(text, '/data')
    expect(problems).toEqual([])
    expect(cases).toEqual([
      {
        id: 'D1',
        label: 'RECON',
        path: '/data/RECON/a.pcap',
        outcome: 'scan',
        classes: ['recon.scan'],
      },
      { id: 'D2', label: 'BENIGN', path: '/data/BENIGN/b.pcap', outcome: 'no alert', classes: [] },
    ])
  })

  it('reports an unknown label as a problem and keeps the other lines', () => {
    const { cases, problems } = parseExpectedTsv(
      `${HEADER}\nD1\tWORM\tx\t1\t?\nD2\tTOR\ty\t1\ttor\n`,
      '/d',
    )
    expect(problems).toEqual(['line 2: unknown label "WORM"'])
    expect(cases.map((c) => c.id)).toEqual(['D2'])
  })

  it.skipIf(!existsSync(SHARED_DATA))('reads the shared dev set, every capture present', () => {
    const { cases, problems } = readExpectedCases(SHARED_DATA)
    expect(problems).toEqual([])
    expect(cases.length).toBeGreaterThan(40)
    for (const c of cases) expect(existsSync(c.path), c.path).toBe(true)
  })
})
