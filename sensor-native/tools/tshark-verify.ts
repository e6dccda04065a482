/**
 * What tshark finds wrong in a capture: malformed packets and bad IPv4/TCP/UDP/ICMP/ICMPv6
 * checksums (with checksum validation switched on, which it is not by default). One line per
 * packet with a problem; an empty list means tshark is content.
 */
import { runTshark } from './tshark-run.ts'

const BAD = [
  '_ws.malformed',
  'ip.checksum.status == 0',
  'tcp.checksum.status == 0',
  'udp.checksum.status == 0',
  'icmp.checksum.status == 0',
  'icmpv6.checksum.status == 0',
].join(' or ')

export function tsharkProblems(capture: string): string[] | Error {
  const out = runTshark([
    '-n',
    '-r',
    capture,
    ...['ip', 'tcp', 'udp'].flatMap((p) => ['-o', `${p}.check_checksum:TRUE`]),
    '-Y',
    BAD,
    '-T',
    'fields',
    '-e',
    'frame.number',
    '-e',
    '_ws.col.Protocol',
    '-e',
    '_ws.col.Info',
  ])
  if (out instanceof Error) return out
  return out.split('\n').filter((line) => line.trim() !== '')
}

export function tsharkPacketCount(capture: string): number | Error {
  const out = runTshark(['-n', '-r', capture, '-T', 'fields', '-e', 'frame.number'])
  if (out instanceof Error) return out
  return out.split('\n').filter((line) => line.trim() !== '').length
}
