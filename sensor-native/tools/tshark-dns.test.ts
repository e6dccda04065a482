import { describe, expect, it } from 'vitest'
import { dnsMessages, dnsTransactions } from './tshark-dns.ts'
import type { TsharkPacket } from './tshark-packet.ts'

const UDP = 'eth:ethertype:ip:udp:dns'

function query(frame: number, name: string, extra: TsharkPacket = {}): TsharkPacket {
  return {
    'frame.number': [String(frame)],
    'frame.protocols': [UDP],
    'dns.flags.response': ['0'],
    'dns.qry.name': [name],
    'dns.qry.type': ['1'],
    'dns.count.queries': ['1'],
    'dns.count.answers': ['0'],
    'dns.count.auth_rr': ['0'],
    'dns.count.add_rr': ['0'],
    ...extra,
  }
}

function response(
  frame: number,
  to: number | undefined,
  name: string,
  extra: TsharkPacket,
): TsharkPacket {
  return {
    ...query(frame, name),
    'dns.flags.response': ['1'],
    'dns.flags.rcode': ['0'],
    ...(to !== undefined ? { 'dns.response_to': [String(to)] } : {}),
    ...extra,
  }
}

describe('dnsMessages', () => {
  it('rebuilds answer order across record types and skips authority and additional records', () => {
    const [m] = dnsMessages(
      response(2, 1, 'WWW.Example.com', {
        'dns.count.answers': ['3'],
        'dns.count.auth_rr': ['1'],
        'dns.count.add_rr': ['1'],
        // CNAME, A, TXT (two strings) answers; an NS in authority; an A in additional
        'dns.resp.type': ['5', '1', '16', '2', '1'],
        'dns.resp.len': ['18', '4', '13', '17', '4'],
        'dns.cname': ['Edge.Example.NET'],
        'dns.a': ['192.0.2.1', '192.0.2.99'],
        'dns.txt.length': ['6', '5'],
        'dns.txt': ['v=spf1', ' -all'],
        'dns.ns': ['ns1.example.net'],
      }),
    )
    expect(m?.query).toBe('www.example.com')
    expect(m?.answers).toEqual([
      ['CNAME', 'edge.example.net'],
      ['A', '192.0.2.1'],
      ['TXT', 'v=spf1 -all'],
    ])
  })

  it('cuts a frame with two messages by their section counts', () => {
    const p: TsharkPacket = {
      'frame.number': ['7'],
      'frame.protocols': ['eth:ethertype:ip:tcp:dns'],
      'dns.flags.response': ['1', '1'],
      'dns.flags.rcode': ['0', '3'],
      'dns.qry.name': ['a.example', 'b.example'],
      'dns.qry.type': ['1', '28'],
      'dns.count.queries': ['1', '1'],
      'dns.count.answers': ['1', '0'],
      'dns.count.auth_rr': ['0', '0'],
      'dns.count.add_rr': ['0', '0'],
      'dns.resp.type': ['1'],
      'dns.a': ['192.0.2.7'],
    }
    expect(dnsMessages(p).map((m) => [m.query, m.qtype, m.rcode, m.answers])).toEqual([
      ['a.example', 'A', 'NOERROR', [['A', '192.0.2.7']]],
      ['b.example', 'AAAA', 'NXDOMAIN', []],
    ])
  })

  it('reads mDNS and LLMNR, which socbox decodes as DNS too', () => {
    const llmnr = query(1, 'ISATAP', { 'frame.protocols': ['eth:ethertype:ipv6:udp:llmnr'] })
    expect(dnsMessages(llmnr).map((m) => m.query)).toEqual(['isatap'])
    const mdns = query(1, '_googlecast._tcp.local', {
      'frame.protocols': ['eth:ethertype:ip:udp:mdns'],
    })
    expect(dnsTransactions([mdns]).map((t) => t.proto)).toEqual(['udp'])
  })

  it('ignores DNS quoted inside an ICMP error', () => {
    expect(
      dnsMessages(
        query(1, 'x.example', { 'frame.protocols': ['eth:ethertype:ip:icmp:ip:udp:dns'] }),
      ),
    ).toEqual([])
  })
})

describe('dnsTransactions', () => {
  it('joins a query with its response, folds retransmissions, keeps unanswered and orphan ones', () => {
    const packets = [
      query(1, 'a.example'),
      query(2, 'a.example', { 'dns.retransmission': ['1'] }),
      response(3, 1, 'a.example', {
        'dns.count.answers': ['1'],
        'dns.resp.type': ['1'],
        'dns.a': ['192.0.2.1'],
      }),
      query(4, 'lost.example'),
      response(5, undefined, 'orphan.example', { 'dns.flags.rcode': ['3'] }),
    ]
    expect(dnsTransactions(packets)).toEqual([
      {
        proto: 'udp',
        query: 'a.example',
        qtype: 'A',
        rcode: 'NOERROR',
        answers: [['A', '192.0.2.1']],
      },
      { proto: 'udp', query: 'lost.example', qtype: 'A', answers: [] },
      { proto: 'udp', query: 'orphan.example', qtype: 'A', rcode: 'NXDOMAIN', answers: [] },
    ])
  })
})
