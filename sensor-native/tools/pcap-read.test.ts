import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dataRoot } from './paths.ts'
import { readCapture } from './pcap-read.ts'
import { runTshark } from './tshark-run.ts'

/** Packet count and first/last timestamps (µs) as tshark reads them. */
function tsharkView(path: string): { count: number; first: number; last: number } {
  const out = runTshark(['-r', path, '-T', 'fields', '-e', 'frame.time_epoch'])
  if (out instanceof Error) throw out
  const times = out
    .trim()
    .split('\n')
    .map((t) => Math.floor(Number(t) * 1e6 + 0.5))
  return { count: times.length, first: times[0] ?? 0, last: times.at(-1) ?? 0 }
}

describe('readCapture', () => {
  it.each([
    'MALSITE/maltrail__dns_queries.pcap', // pcap, little endian
    'BENIGN/chrissanders-packets__dns_query_response.pcapng',
    'RECON/chrissanders-packets__synscan.pcapng',
    'BENIGN/ndpi__rdp.pcap', // BSD loopback link type
    'suricata-verify/tests/smb-eicar-file/input.pcap', // Linux cooked
  ])('reads %s as tshark does', (capture) => {
    const path = join(dataRoot, capture)
    const packets = readCapture(readFileSync(path))
    if (packets instanceof Error) throw packets
    const t = tsharkView(path)
    expect(packets.length).toBe(t.count)
    expect(Math.abs((packets[0]?.tsUs ?? 0) - t.first)).toBeLessThanOrEqual(1)
    expect(Math.abs((packets.at(-1)?.tsUs ?? 0) - t.last)).toBeLessThanOrEqual(1)
  })

  it('reads big-endian nanosecond pcap', () => {
    const file = Buffer.alloc(24 + 16 + 3)
    file.writeUInt32BE(0xa1b23c4d, 0)
    file.writeUInt32BE(101, 20) // raw IP
    file.writeUInt32BE(1_700_000_000, 24)
    file.writeUInt32BE(123_456_789, 28)
    file.writeUInt32BE(3, 32)
    file.writeUInt32BE(60, 36)
    file.set([1, 2, 3], 40)
    const packets = readCapture(file)
    if (packets instanceof Error) throw packets
    expect(packets.map((p) => ({ ...p, data: [...p.data] }))).toEqual([
      { linktype: 101, tsUs: 1_700_000_000_123_456, data: [1, 2, 3], origLen: 60 },
    ])
  })

  it('reports files it cannot read as errors', () => {
    expect(readCapture(Buffer.from('hello world'))).toBeInstanceOf(Error)
    const cut = readFileSync(join(dataRoot, 'MALSITE/maltrail__dns_queries.pcap')).subarray(0, 50)
    expect(String(readCapture(cut))).toMatch(/runs past the end/)
  })
})
