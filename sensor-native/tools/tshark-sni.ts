/**
 * TLS client hello SNIs over TCP, one per connection: socbox emits one `tls` event per TCP
 * connection's client hello, so a hello tshark sees again in a retransmission must not count
 * twice. QUIC's hellos (TLS inside UDP) are not socbox's to decode and are left out.
 */
import type { SniFact } from './oracle-facts.ts'
import { protocols, quotesAnotherPacket, type TsharkPacket, transportOf } from './tshark-packet.ts'

export const SNI_FIELDS = [
  'frame.protocols',
  'tcp.stream',
  'tls.handshake.type',
  'tls.handshake.extensions_server_name',
]

export function sniFacts(packets: TsharkPacket[]): SniFact[] {
  const seen = new Set<string>()
  const facts: SniFact[] = []
  for (const p of packets) {
    const stack = protocols(p)
    if (quotesAnotherPacket(stack) || transportOf(stack, 'tls') !== 'tcp') continue
    if (!(p['tls.handshake.type'] ?? []).includes('1')) continue
    const stream = p['tcp.stream']?.[0] ?? ''
    for (const sni of p['tls.handshake.extensions_server_name'] ?? []) {
      const key = `${stream} ${sni}`
      if (seen.has(key)) continue
      seen.add(key)
      facts.push({ sni })
    }
  }
  return facts
}
