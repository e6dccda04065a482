import { describe, expect, it } from 'vitest'
import { carryForward, type PreviousList } from './carry-forward.ts'

describe('carryForward', () => {
  const previous: PreviousList[] = [
    {
      list: 'malware.c2.ip',
      ioc: 'ip',
      class: 'malware.c2',
      provenance: { '192.0.2.1': ['feodo', 'maltrail'], '192.0.2.2': ['maltrail'] },
      ports: { '192.0.2.1': [443, 8080] },
    },
    {
      list: 'info.unconfirmed.malware.c2.ip',
      ioc: 'ip',
      class: 'info.unconfirmed.malware.c2',
      provenance: { '198.51.100.1': ['threatfox'] },
    },
  ]

  it('brings back only the failed feeds’ entries, with ports, and held-back entries in their own class', () => {
    const carried = carryForward(previous, new Set(['feodo', 'threatfox']))
    expect(carried.map((i) => [i.value, i.class, i.port, i.origin.feed])).toEqual([
      ['192.0.2.1', 'malware.c2', 443, 'feodo'],
      ['192.0.2.1', 'malware.c2', 8080, 'feodo'],
      ['198.51.100.1', 'malware.c2', undefined, 'threatfox'],
    ])
    expect(carried[0]?.origin).toMatchObject({ source: '(previous build) malware.c2.ip', line: 0 })
  })

  it('brings back nothing when no feed failed', () => {
    expect(carryForward(previous, new Set())).toEqual([])
  })
})
