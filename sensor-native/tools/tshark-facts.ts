/**
 * What tshark says about one capture, in the oracle's terms. Two passes: one packet pass with the
 * fields of DNS, TLS client hellos and HTTP requests, one statistics pass for conversations.
 * tshark runs with its default preferences on purpose: its TCP reassembly and its protocol
 * detection (TLS and HTTP by port and by heuristics on any TCP port) are the reference socbox is
 * held to. DNS is taken where socbox decodes it (crates/socbox-sensor/src/dns: ports 53, 5353 and
 * 5355), which is where tshark's dns, mdns and llmnr dissectors run; DNS on other ports would show
 * up through tshark's UDP heuristic as a difference (there is none in the dev set).
 *
 * Bump EXTRACTION_VERSION whenever this changes what is stored: oracle-refresh then redoes every file.
 */
import { countBy } from './counted.ts'
import { type Facts, httpKey } from './oracle-facts.ts'
import { parseConversations } from './tshark-conv.ts'
import { DNS_FIELDS, dnsTransactions } from './tshark-dns.ts'
import { HTTP_FIELDS, httpRequests } from './tshark-http.ts'
import type { TsharkPacket } from './tshark-packet.ts'
import { runTshark } from './tshark-run.ts'
import { SNI_FIELDS, sniFacts } from './tshark-sni.ts'

export const EXTRACTION_VERSION = 2

const PACKET_FILTER = 'dns or mdns or llmnr or tls.handshake.type == 1 or http.request'

export type TsharkFacts = { facts: Facts; problems: string[] }

export function tsharkFacts(capture: string): TsharkFacts | Error {
  const fields = [...new Set([...DNS_FIELDS, ...SNI_FIELDS, ...HTTP_FIELDS])]
  const json = runTshark([
    '-n',
    '-r',
    capture,
    '-Y',
    PACKET_FILTER,
    '-T',
    'json',
    ...fields.flatMap((f) => ['-e', f]),
  ])
  if (json instanceof Error) return json
  const packets = (JSON.parse(json) as { _source: { layers: TsharkPacket } }[]).map(
    (p) => p._source.layers,
  )
  const conv = runTshark(['-n', '-r', capture, '-q', '-z', 'conv,tcp', '-z', 'conv,udp'])
  if (conv instanceof Error) return conv
  const flows = parseConversations(conv)
  if (flows instanceof Error) return flows
  const http = httpRequests(packets)
  return {
    facts: {
      dns: countBy(
        // Rebuilt so that every stored transaction lists its keys in the same order.
        dnsTransactions(packets).map(({ query, qtype, rcode, proto, answers }) => ({
          query,
          qtype,
          ...(rcode !== undefined ? { rcode } : {}),
          proto,
          answers,
        })),
        (t) => JSON.stringify([t.query, t.qtype, t.rcode ?? '', t.proto, t.answers]),
      ),
      tls: countBy(sniFacts(packets), (s) => s.sni),
      http: countBy(http.requests, httpKey),
      flows,
    },
    problems: http.problems,
  }
}
