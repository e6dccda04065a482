import { describe, expect, it } from 'vitest'
import { ACCEPTED_HEADER, type AcceptedRow, parseAccepted, unexplained } from './accepted.ts'
import type { Difference } from './oracle-diff.ts'

describe('parseAccepted', () => {
  it('reads rows and skips comments and blank lines', () => {
    const tsv = `${ACCEPTED_HEADER}\n# why this file exists\n\nA/x.pcap\tdns\tq A NOERROR udp []\ttshark marks the packet malformed\n`
    expect(parseAccepted(tsv)).toEqual({
      rows: [
        {
          line: 4,
          capture: 'A/x.pcap',
          field: 'dns',
          value: 'q A NOERROR udp []',
          reason: 'tshark marks the packet malformed',
        },
      ],
      errors: [],
    })
  })
  it('refuses rows without a reason, with an unknown field or the wrong shape', () => {
    const tsv = `${ACCEPTED_HEADER}\nA\tdns\tv\t\nA\tsni\tv\tbecause of something\nA\tdns\n`
    expect(parseAccepted(tsv).errors).toEqual([
      'line 2: give a reason',
      'line 3: unknown field "sni"',
      'line 4: expected 4 tab-separated columns, got 2',
    ])
  })
  it('insists on the header', () => {
    expect(parseAccepted('a\tb\n').errors[0]).toMatch(/header/)
  })
})

describe('unexplained', () => {
  const d = (value: string): Difference => ({ field: 'tls.sni', value, tshark: 1, socbox: 0 })
  const row: AcceptedRow = {
    line: 2,
    capture: 'A/x.pcap',
    field: 'tls.sni',
    value: 'a.example',
    reason: 'a reason here',
  }
  it('drops accepted differences and records which rows were used', () => {
    const used = new Set<AcceptedRow>()
    expect(unexplained('A/x.pcap', [d('a.example'), d('b.example')], [row], used)).toEqual([
      d('b.example'),
    ])
    expect(used.has(row)).toBe(true)
  })
  it('accepts a difference only for the capture the row names', () => {
    const used = new Set<AcceptedRow>()
    expect(unexplained('B/y.pcap', [d('a.example')], [row], used)).toEqual([d('a.example')])
    expect(used.size).toBe(0)
  })
})
