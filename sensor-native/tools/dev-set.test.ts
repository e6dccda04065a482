import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureClasses, devSet, labelledCaptures } from './dev-set.ts'
import { dataRoot } from './paths.ts'

describe('labelledCaptures', () => {
  it('reads the path column wherever it is', () => {
    expect(labelledCaptures('id\tpath\tx\nD0\tA/a.pcap\t1\nD1\tB/b.pcapng\t2\n')).toEqual([
      'A/a.pcap',
      'B/b.pcapng',
    ])
  })
  it('reads the class of each capture', () => {
    expect(captureClasses('path\tclass\nA/a.pcap\tC2\nB/b.pcap\tBENIGN\n')).toEqual(
      new Map([
        ['A/a.pcap', 'C2'],
        ['B/b.pcap', 'BENIGN'],
      ]),
    )
  })
  it('refuses a file without a path column', () => {
    expect(() => labelledCaptures('id\tfile\nD0\ta\n')).toThrow(/no "path" column/)
  })
})

describe('devSet', () => {
  it('lists the labelled and the JA4 captures, all present', () => {
    const set = devSet(dataRoot)
    expect(set.length).toBeGreaterThanOrEqual(80)
    expect(set).toContain('MALSITE/maltrail__dns_queries.pcap')
    expect(set).toContain('PARSERS/ja4/pcap/tls-sni.pcapng')
    for (const path of set) expect(existsSync(join(dataRoot, path)), path).toBe(true)
  })
})
