import { describe, expect, it } from 'vitest'
import { comparableOracle } from './comparable.ts'
import { comparableEvents } from './event-facts.ts'
import { describeDifference, diffFacts, FIELDS_OF_KIND } from './oracle-diff.ts'
import type { Facts } from './oracle-facts.ts'

const oracle: Facts = {
  dns: [
    {
      query: 'a.example',
      qtype: 'A',
      rcode: 'NOERROR',
      proto: 'udp',
      answers: [['CNAME', 'b.example'], ['A', '192.0.2.1'], ['TXT']],
      count: 2,
    },
    { query: 'lost.example', qtype: 'AAAA', proto: 'udp', answers: [], count: 1 },
  ],
  tls: [{ sni: 'c.example', count: 1 }],
  http: [{ method: 'GET', host: 'd.example', uri: '/x', count: 1 }],
  flows: { tcp: 2, udp: 3 },
}

const flow = {
  ts: 1,
  flow: '1:x',
  src: { ip: '10.0.0.1', port: 1, internal: true },
  dst: { ip: '192.0.2.1', port: 53, internal: false },
}
const dnsA = {
  kind: 'dns',
  ...flow,
  query: 'a.example',
  qtype: 'A',
  rcode: 'NOERROR',
  answers: ['b.example', '192.0.2.1'],
  proto: 'udp',
  trans_id: 1,
}
const lost = {
  kind: 'dns',
  ...flow,
  query: 'lost.example',
  qtype: 'AAAA',
  proto: 'udp',
  trans_id: 2,
}
const fields = Object.values(FIELDS_OF_KIND).flat()

describe('diffFacts', () => {
  it('finds nothing when socbox saw what tshark saw', () => {
    const events = [
      dnsA,
      dnsA,
      lost,
      { kind: 'tls', ...flow, sni: 'c.example' },
      { kind: 'tls', ...flow }, // a hello without SNI is no SNI fact
      { kind: 'http', ...flow, method: 'GET', host: 'd.example', uri: '/x', status: 200 },
      ...[1, 2].map(() => ({ kind: 'conn', ...flow, proto: 'tcp' })),
      ...[1, 2, 3].map(() => ({ kind: 'conn', ...flow, proto: 'udp' })),
      { kind: 'conn', ...flow, proto: 'icmp' },
    ]
    expect(diffFacts(comparableOracle(oracle), comparableEvents(events), fields)).toEqual([])
  })

  it('reports missing, extra and miscounted values with both counts, only for the fields asked', () => {
    const events = [
      dnsA,
      { ...lost, query: 'other.example' },
      { kind: 'conn', ...flow, proto: 'udp' },
    ]
    const diffs = diffFacts(comparableOracle(oracle), comparableEvents(events), [
      'dns',
      'flows.udp',
    ])
    expect(diffs).toEqual([
      {
        field: 'dns',
        value: 'a.example A NOERROR udp [b.example 192.0.2.1]',
        tshark: 2,
        socbox: 1,
      },
      { field: 'dns', value: 'lost.example AAAA (no response) udp []', tshark: 1, socbox: 0 },
      { field: 'dns', value: 'other.example AAAA (no response) udp []', tshark: 0, socbox: 1 },
      { field: 'flows.udp', value: 'tshark 3, socbox 1', tshark: 3, socbox: 1 },
    ])
    expect(diffs.map(describeDifference)[0]).toBe(
      'dns "a.example A NOERROR udp [b.example 192.0.2.1]": tshark 2, socbox 1',
    )
  })

  it('tells answers in a different order apart', () => {
    const swapped = { ...dnsA, answers: ['192.0.2.1', 'b.example'] }
    const diffs = diffFacts(comparableOracle(oracle), comparableEvents([swapped, swapped, lost]), [
      'dns',
    ])
    expect(diffs.length).toBe(2)
  })
})
