/**
 * The facts the oracle compares, as both sides produce them: DNS transactions, TLS client hello
 * SNIs, HTTP requests (over TCP) and TCP/UDP flow counts. tshark's side is stored per capture in
 * `sensor-native/oracle/<sha256>.json`; socbox's side is derived from its events.
 *
 * DNS answers are stored with their record type, because socbox's events list answers as plain
 * strings and only for some record types; the comparison keeps the types in ANSWER_TYPES.
 */
import type { Counted } from './counted.ts'

/** `[type, value]` in answer order; types whose value the oracle does not extract have none. */
export type DnsAnswer = [type: string, value?: string]

export type DnsTransaction = {
  proto: 'udp' | 'tcp'
  query: string
  qtype: string
  /** Left out when no response was seen, as in socbox's events. */
  rcode?: string
  answers: DnsAnswer[]
}
export type SniFact = { sni: string }
export type HttpRequest = { method: string; host?: string; uri: string }
export type FlowCounts = { tcp: number; udp: number }

export type Facts = {
  dns: Counted<DnsTransaction>[]
  tls: Counted<SniFact>[]
  http: Counted<HttpRequest>[]
  flows: FlowCounts
}

/**
 * Record types whose values socbox lists in `answers` (crates/socbox-sensor/src/dns/message.rs):
 * addresses, the names of name-valued records (SOA: the primary server), and TXT strings joined.
 */
export const ANSWER_TYPES: ReadonlySet<string> = new Set([
  'A',
  'AAAA',
  'CNAME',
  'DNAME',
  'NS',
  'PTR',
  'SOA',
  'MX',
  'SRV',
  'TXT',
])

/** Types whose value tshark's fields give one per record, so answer order can be rebuilt (TXT: see tshark-dns.ts). */
export const ANSWER_VALUE_FIELDS: Readonly<Record<string, string>> = {
  A: 'dns.a',
  AAAA: 'dns.aaaa',
  CNAME: 'dns.cname',
  DNAME: 'dns.dname',
  SOA: 'dns.soa.mname',
  PTR: 'dns.ptr.domain_name',
  NS: 'dns.ns',
  MX: 'dns.mx.mail_exchange',
  SRV: 'dns.srv.target',
}

/** The answers as socbox lists them. */
export function answerStrings(answers: DnsAnswer[]): string[] {
  return answers.flatMap(([type, value]) =>
    ANSWER_TYPES.has(type) && value !== undefined ? [value] : [],
  )
}

/** One line per fact kind, readable in a diff and in accepted.tsv's value column. */
export function dnsKey(
  t: { proto: string; query: string; qtype: string; rcode?: string },
  answers: string[],
): string {
  return `${t.query} ${t.qtype} ${t.rcode ?? '(no response)'} ${t.proto} [${answers.join(' ')}]`
}
export function httpKey(r: HttpRequest): string {
  return `${r.method} ${r.host ?? '(no host)'} ${r.uri}`
}
