// Turns the DNS queries of a capture into schema events with tshark as an independent oracle,
// to make case fixtures without the sensor. Queries only (the shared demo capture has no
// responses): rcode and answers are left out, as the sensor does for an unanswered query.

import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { isIP } from 'node:net'
import type { SocEvent } from '@socbox/dsl/runtime'

const FIELDS = [
  'frame.time_epoch',
  'ip.src',
  'udp.srcport',
  'ip.dst',
  'udp.dstport',
  'dns.id',
  'dns.qry.name',
  'dns.qry.type',
]
const QTYPES: Record<string, string> = {
  '1': 'A',
  '28': 'AAAA',
  '16': 'TXT',
  '5': 'CNAME',
  '15': 'MX',
  '2': 'NS',
  '12': 'PTR',
  '6': 'SOA',
  '33': 'SRV',
}

export function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function dnsQueryEvents(pcap: string): SocEvent[] {
  const args = [
    '-r',
    pcap,
    '-Y',
    'dns.flags.response == 0 && udp',
    '-T',
    'fields',
    ...FIELDS.flatMap((f) => ['-e', f]),
  ]
  const out = execFileSync('tshark', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  return out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [time, srcIp, srcPort, dstIp, dstPort, id, query, qtype] = line.split('\t') as string[]
      return {
        kind: 'dns',
        ts: Math.round(Number(time) * 1000),
        flow: communityId(srcIp ?? '', Number(srcPort), dstIp ?? '', Number(dstPort), 17),
        src: { ip: srcIp ?? '', port: Number(srcPort), internal: isInternal(srcIp ?? '') },
        dst: { ip: dstIp ?? '', port: Number(dstPort), internal: isInternal(dstIp ?? '') },
        query: (query ?? '').toLowerCase().replace(/\.$/, ''),
        qtype: QTYPES[qtype ?? ''] ?? `TYPE${qtype}`,
        proto: 'udp',
        trans_id: Number(id),
      }
    })
}

// Community ID v1 (corelight/community-id-spec) for IPv4: seed 0, endpoints ordered low to high.
export function communityId(
  srcIp: string,
  srcPort: number,
  dstIp: string,
  dstPort: number,
  proto: number,
): string {
  const a = ipv4Bytes(srcIp)
  const b = ipv4Bytes(dstIp)
  const swap = compare(a, b) > 0 || (compare(a, b) === 0 && srcPort > dstPort)
  const [ip1, port1, ip2, port2] = swap ? [b, dstPort, a, srcPort] : [a, srcPort, b, dstPort]
  const buf = Buffer.alloc(2 + 4 + 4 + 2 + 4)
  buf.writeUInt16BE(0, 0)
  Buffer.from(ip1).copy(buf, 2)
  Buffer.from(ip2).copy(buf, 6)
  buf.writeUInt8(proto, 10)
  buf.writeUInt8(0, 11)
  buf.writeUInt16BE(port1, 12)
  buf.writeUInt16BE(port2, 14)
  return `1:${createHash('sha1').update(buf).digest('base64')}`
}

function ipv4Bytes(ip: string): number[] {
  if (isIP(ip) !== 4) throw new Error(`not IPv4: ${ip}`)
  return ip.split('.').map(Number)
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0)
  return 0
}

// The sensor's default home networks (schema README §1), IPv4 part.
function isInternal(ip: string): boolean {
  const [a = 0, b = 0] = ipv4Bytes(ip)
  return (
    a === 10 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254)
  )
}
