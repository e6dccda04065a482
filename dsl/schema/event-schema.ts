// The event vocabulary of README.md §1 as data: every kind, its fields and their types. The
// checker types rule fields against it and the language reference lists it. Keep it in step
// with README.md (the contract) — event-schema.test.ts compares the two.

import type { ValueType } from '../src/runtime/functions.ts'
import type { IocKind } from '../src/runtime/types.ts'

export type FieldSpec = {
  type: ValueType
  doc: string
  /** The IOC kind a sensor list can match on this field, so `field in intel("x")` is checkable. */
  ioc?: IocKind
  /** Closed set of values, where the contract names them. */
  values?: readonly string[]
}

export type KindSpec = { doc: string; fields: Record<string, FieldSpec> }

const endpoint = (side: 'source' | 'destination'): Record<string, FieldSpec> => {
  const prefix = side === 'source' ? 'src' : 'dst'
  return {
    [`${prefix}.ip`]: { type: 'ip', doc: `${side} address`, ioc: 'ip' },
    [`${prefix}.port`]: { type: 'number', doc: `${side} port` },
    [`${prefix}.internal`]: {
      type: 'bool',
      doc: `true when the ${side} is in the sensor's home networks`,
    },
  }
}

/** Fields every event carries (README §1). */
export const COMMON_FIELDS: Record<string, FieldSpec> = {
  kind: { type: 'string', doc: 'the event kind' },
  ts: { type: 'number', doc: 'capture time, integer ms since the epoch' },
  flow: { type: 'string', doc: 'community-id v1 of the flow (`1:base64`)' },
  ...endpoint('source'),
  ...endpoint('destination'),
}

export const EVENT_KINDS: Record<string, KindSpec> = {
  dns: {
    doc: 'one DNS transaction: the query joined with its response',
    fields: {
      query: { type: 'string', doc: 'queried name, lower case, no trailing dot', ioc: 'domain' },
      qtype: { type: 'string', doc: 'query type: A, AAAA, TXT…, TYPE<n> when unknown' },
      rcode: {
        type: 'string',
        doc: 'response code (NOERROR, NXDOMAIN…); absent without a response',
      },
      answers: { type: 'string[]', doc: 'answer addresses and names in answer order', ioc: 'ip' },
      ttl: { type: 'number', doc: 'smallest answer TTL, seconds' },
      proto: { type: 'string', doc: 'transport', values: ['udp', 'tcp'] },
      trans_id: { type: 'number', doc: 'DNS transaction id' },
    },
  },
  conn: {
    doc: 'one flow (connection), emitted when it ends and every 30 min while it lasts; src is the originator',
    fields: {
      proto: { type: 'string', doc: 'tcp, udp, icmp, else the IP protocol number' },
      app: {
        type: 'string',
        doc: 'detected application protocol (dns, http, tls); absent when unknown',
      },
      state: {
        type: 'string',
        doc: 'Zeek-style connection state (S0 = no answer, REJ = rejected, SF = normal…)',
        values: [
          'S0',
          'S1',
          'SF',
          'REJ',
          'S2',
          'S3',
          'RSTO',
          'RSTR',
          'RSTOS0',
          'RSTRH',
          'SH',
          'SHR',
          'OTH',
        ],
      },
      orig_bytes: { type: 'number', doc: 'transport payload bytes from the originator' },
      resp_bytes: { type: 'number', doc: 'transport payload bytes from the responder' },
      orig_pkts: { type: 'number', doc: 'packets from the originator' },
      resp_pkts: { type: 'number', doc: 'packets from the responder' },
      duration: { type: 'number', doc: 'ms from the first to the last packet' },
    },
  },
  http: {
    doc: 'one HTTP/1.x request and its response; response fields are absent without a response',
    fields: {
      method: { type: 'string', doc: 'request method (GET, POST…)' },
      host: { type: 'string', doc: 'Host header, lower case, port kept as sent', ioc: 'domain' },
      uri: { type: 'string', doc: 'request target as sent' },
      user_agent: { type: 'string', doc: 'User-Agent header' },
      referrer: { type: 'string', doc: 'Referer header' },
      status: { type: 'number', doc: 'response status code' },
      content_type: { type: 'string', doc: 'response Content-Type' },
      location: { type: 'string', doc: 'response Location header (redirect target)' },
      body_len: { type: 'number', doc: 'response body bytes after de-chunking' },
    },
  },
  tls: {
    doc: 'one TLS ClientHello',
    fields: {
      sni: { type: 'string', doc: 'server name sent by the client, lower case', ioc: 'domain' },
      version: { type: 'string', doc: 'highest version offered: TLSv1.3, TLSv1.2…, else 0x<hex>' },
      alpn: { type: 'string[]', doc: 'offered application protocols in order' },
      ja3: { type: 'string', doc: 'JA3 fingerprint (MD5 hex)', ioc: 'ja3' },
      ja4: { type: 'string', doc: 'FoxIO JA4 fingerprint (TCP form)', ioc: 'ja4' },
    },
  },
  intel: {
    doc: 'the record of a native IOC hit, tied to the event that hit',
    fields: {
      list: { type: 'string', doc: 'list id' },
      ioc: {
        type: 'string',
        doc: 'IOC kind',
        values: ['domain', 'ip', 'url', 'ja3', 'ja4', 'hash'],
      },
      indicator: { type: 'string', doc: 'the list entry that matched (e.g. the parent domain)' },
      value: { type: 'string', doc: 'the observed value' },
      field: { type: 'string', doc: 'the field that hit, e.g. query' },
      on: { type: 'string', doc: 'the kind of the event that hit' },
    },
  },
}

/** The type of `path` on events of `kind`, or undefined when no such field exists. */
export function fieldSpec(kind: string, path: string): FieldSpec | undefined {
  return COMMON_FIELDS[path] ?? EVENT_KINDS[kind]?.fields[path]
}

export function fieldNames(kind: string): string[] {
  return [...Object.keys(COMMON_FIELDS), ...Object.keys(EVENT_KINDS[kind]?.fields ?? {})]
}
