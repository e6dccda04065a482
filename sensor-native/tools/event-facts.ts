/**
 * socbox's side of the oracle: its NDJSON events (dsl/schema/README.md) reduced to the compared
 * facts, DNS text seen as tshark shows it (tshark-text-view.ts). `tls` events count when they carry
 * an SNI, `http` events are requests, `conn` events are flows of their `proto`.
 */
import { addTo, type Comparable, emptyComparable } from './comparable.ts'
import { dnsKey, httpKey } from './oracle-facts.ts'
import { asTsharkShows } from './tshark-text-view.ts'

export type SocboxEvent = { kind: string } & Record<string, unknown>

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

export function comparableEvents(events: SocboxEvent[]): Comparable {
  const c = emptyComparable()
  for (const e of events) {
    switch (e.kind) {
      case 'dns': {
        const answers = Array.isArray(e.answers)
          ? e.answers.map((a) => asTsharkShows(String(a)))
          : []
        const rcode = str(e.rcode)
        const key = {
          proto: str(e.proto) ?? '?',
          query: asTsharkShows(str(e.query) ?? ''),
          qtype: str(e.qtype) ?? '?',
        }
        addTo(c.lists.dns, dnsKey(rcode !== undefined ? { ...key, rcode } : key, answers))
        break
      }
      case 'tls': {
        const sni = str(e.sni)
        if (sni !== undefined) addTo(c.lists['tls.sni'], sni)
        break
      }
      case 'http': {
        const method = str(e.method)
        if (method === undefined) break // a response without its request is not a request
        const host = str(e.host)
        addTo(
          c.lists.http,
          httpKey({ method, uri: str(e.uri) ?? '', ...(host !== undefined ? { host } : {}) }),
        )
        break
      }
      case 'conn':
        if (e.proto === 'tcp') c.counts['flows.tcp'] += 1
        else if (e.proto === 'udp') c.counts['flows.udp'] += 1
        break
    }
  }
  return c
}
