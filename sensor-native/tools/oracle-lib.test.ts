import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { emptyComparable } from './comparable.ts'
import { compareCapture, comparisonScope, emittedKinds, factCount, parseNdjson } from './oracle.ts'
import { dataRoot, oracleDir } from './paths.ts'

describe('parseNdjson', () => {
  it('reads one event per line', () => {
    expect(parseNdjson('{"kind":"dns","query":"a"}\n{"kind":"conn"}\n')).toEqual([
      { kind: 'dns', query: 'a' },
      { kind: 'conn' },
    ])
  })
  it('reports the line that is not an event', () => {
    expect(parseNdjson('{"kind":"dns"}\nprogress 50%\n')).toEqual(
      new Error('line 2 is not JSON: progress 50%'),
    )
    expect(parseNdjson('{"query":"a"}\n')).toBeInstanceOf(Error)
  })
})

describe('comparisonScope', () => {
  it('compares DNS always and other kinds once emitted', () => {
    const emitted = emittedKinds([[{ kind: 'tls' }, { kind: 'intel' }], new Error('x')])
    expect(comparisonScope(emitted)).toEqual({
      active: ['dns', 'tls.sni'],
      inactive: ['http', 'conn'],
    })
  })
})

describe('compareCapture', () => {
  const capture = join(dataRoot, 'MALSITE/maltrail__dns_queries.pcap')
  const names = [
    'badsite.onion.to',
    'clean.example.org',
    'dga1234.wildcard-test.com',
    'evil-test-domain.com',
    'evilname.ip-adress.com',
    'www.evil-parent.com',
  ]
  const events = names.map((query) => ({ kind: 'dns', query, qtype: 'A', proto: 'udp' }))

  it('agrees with the stored answers for hand-made events that match them', () => {
    expect(compareCapture(capture, events, ['dns'], oracleDir)).toEqual([])
  })
  it('finds a query socbox missed', () => {
    expect(compareCapture(capture, events.slice(1), ['dns'], oracleDir)).toEqual([
      { field: 'dns', value: 'badsite.onion.to A (no response) udp []', tshark: 1, socbox: 0 },
    ])
  })
  it('says how to make missing answers', () => {
    const empty = mkdtempSync(join(tmpdir(), 'oracle-'))
    expect(String(compareCapture(capture, events, ['dns'], empty))).toMatch(/oracle-refresh/)
  })
})

describe('factCount', () => {
  it('counts occurrences of list values and takes flow counts as they are', () => {
    const c = emptyComparable()
    c.lists.dns.set('a', 2)
    c.lists.dns.set('b', 1)
    c.counts['flows.udp'] = 7
    expect(factCount(c, 'dns')).toBe(3)
    expect(factCount(c, 'flows.udp')).toBe(7)
    expect(factCount(c, 'http')).toBe(0)
  })
})
