/**
 * HTTP/1.x requests over TCP (socbox's `http` events). SSDP and other HTTP-over-UDP are not HTTP
 * sessions and are left out; retransmitted segments are not new requests.
 */
import type { HttpRequest } from './oracle-facts.ts'
import { protocols, quotesAnotherPacket, type TsharkPacket, transportOf } from './tshark-packet.ts'

export const HTTP_FIELDS = [
  'frame.number',
  'frame.protocols',
  'tcp.analysis.retransmission',
  'http.request.method',
  'http.request.uri',
  'http.host',
]

export type HttpExtraction = { requests: HttpRequest[]; problems: string[] }

export function httpRequests(packets: TsharkPacket[]): HttpExtraction {
  const requests: HttpRequest[] = []
  const problems: string[] = []
  for (const p of packets) {
    const stack = protocols(p)
    if (quotesAnotherPacket(stack) || transportOf(stack, 'http') !== 'tcp') continue
    if (p['tcp.analysis.retransmission'] !== undefined) continue
    const methods = p['http.request.method'] ?? []
    const uris = p['http.request.uri'] ?? []
    const hosts = p['http.host'] ?? []
    // Pipelined requests in one frame: hosts can be paired with requests only if each has one.
    if (methods.length > 1 && hosts.length !== 0 && hosts.length !== methods.length) {
      problems.push(
        `frame ${p['frame.number']?.[0]}: ${methods.length} requests but ${hosts.length} Host headers`,
      )
    }
    const pairHosts = methods.length === 1 || hosts.length === methods.length
    methods.forEach((method, i) => {
      const host = pairHosts ? hosts[i] : undefined
      requests.push({ method, ...(host !== undefined ? { host } : {}), uri: uris[i] ?? '' })
    })
  }
  return { requests, problems }
}
