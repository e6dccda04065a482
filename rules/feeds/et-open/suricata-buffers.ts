// Suricata's names for what a content applies to (sticky buffers, legacy http_* modifiers, PCRE
// buffer flags) mapped to the canonical field names of ContentSignature, and the value syntax of
// the size and pcre keywords.
import type { ContentRegex, FieldSize } from './content-signature.ts'
import { unquote } from './rule-parse.ts'

/** Sticky buffers (and their pre-5.0 spellings) of the DNS/HTTP/TLS subset → canonical field. */
export const STICKY_BUFFERS: Readonly<Record<string, string>> = {
  'dns.query': 'dns.query',
  dns_query: 'dns.query',
  'tls.sni': 'tls.sni',
  tls_sni: 'tls.sni',
  'tls.cert_subject': 'tls.cert_subject',
  tls_cert_subject: 'tls.cert_subject',
  'tls.cert_issuer': 'tls.cert_issuer',
  tls_cert_issuer: 'tls.cert_issuer',
  'tls.cert_serial': 'tls.cert_serial',
  tls_cert_serial: 'tls.cert_serial',
  'tls.cert_fingerprint': 'tls.cert_fingerprint',
  tls_cert_fingerprint: 'tls.cert_fingerprint',
  'tls.certs': 'tls.certs',
  'ja3.hash': 'ja3.hash',
  ja3_hash: 'ja3.hash',
  'ja3.string': 'ja3.string',
  ja3_string: 'ja3.string',
  'ja3s.hash': 'ja3s.hash',
  ja3s_hash: 'ja3s.hash',
  'ja4.hash': 'ja4.hash',
  'file.data': 'file.data',
  file_data: 'file.data',
  'http.uri': 'http.uri',
  'http.uri.raw': 'http.uri.raw',
  'http.host': 'http.host',
  'http.host.raw': 'http.host.raw',
  'http.method': 'http.method',
  'http.user_agent': 'http.user_agent',
  'http.header': 'http.header',
  'http.header.raw': 'http.header.raw',
  'http.cookie': 'http.cookie',
  'http.request_body': 'http.request_body',
  'http.response_body': 'http.response_body',
  'http.stat_code': 'http.stat_code',
  'http.stat_msg': 'http.stat_msg',
  'http.content_type': 'http.content_type',
  'http.content_len': 'http.content_len',
  'http.header_names': 'http.header_names',
  'http.referer': 'http.referer',
  'http.request_line': 'http.request_line',
  'http.response_line': 'http.response_line',
  'http.location': 'http.location',
  'http.start': 'http.start',
  'http.accept': 'http.accept',
  'http.accept_enc': 'http.accept_enc',
  'http.accept_lang': 'http.accept_lang',
  'http.server': 'http.server',
  'http.connection': 'http.connection',
  'http.protocol': 'http.protocol',
}

/** Pre-sticky-buffer modifiers that move the previous content into a field. */
export const CONTENT_MODIFIERS: Readonly<Record<string, string>> = {
  http_uri: 'http.uri',
  http_raw_uri: 'http.uri.raw',
  http_host: 'http.host',
  http_raw_host: 'http.host.raw',
  http_method: 'http.method',
  http_user_agent: 'http.user_agent',
  http_header: 'http.header',
  http_raw_header: 'http.header.raw',
  http_cookie: 'http.cookie',
  http_client_body: 'http.request_body',
  http_server_body: 'http.response_body',
  http_stat_code: 'http.stat_code',
  http_stat_msg: 'http.stat_msg',
}

/** PCRE buffer flags of Suricata (/…/U etc.) → field. */
export const PCRE_BUFFER_FLAGS: Readonly<Record<string, string>> = {
  U: 'http.uri',
  I: 'http.uri.raw',
  H: 'http.header',
  D: 'http.header.raw',
  M: 'http.method',
  C: 'http.cookie',
  P: 'http.request_body',
  Q: 'http.response_body',
  S: 'http.stat_code',
  Y: 'http.stat_msg',
  V: 'http.user_agent',
  W: 'http.host',
}

/** Field of a content that no buffer named: the raw payload, outside the DNS/HTTP/TLS subset. */
export const PAYLOAD = '(payload)'

export function protoOfField(field: string): 'dns' | 'http' | 'tls' | undefined {
  if (field.startsWith('dns.')) return 'dns'
  if (field.startsWith('tls.') || field.startsWith('ja3') || field.startsWith('ja4')) return 'tls'
  if (field.startsWith('http.') || field === 'file.data') return 'http'
  return undefined
}

export function parseSize(text: string): FieldSize | undefined {
  const t = text.replace(/\s+/g, '')
  let m = /^(\d+)$/.exec(t)
  if (m) return { min: Number(m[1]), max: Number(m[1]) }
  m = /^<(\d+)$/.exec(t)
  if (m) return { max: Number(m[1]) - 1 }
  m = /^>(\d+)$/.exec(t)
  if (m) return { min: Number(m[1]) + 1 }
  m = /^(\d+)<>(\d+)$/.exec(t)
  if (m) return { min: Number(m[1]) + 1, max: Number(m[2]) - 1 }
  return undefined
}

export function parsePcre(value: string, currentField: string | undefined): ContentRegex | string {
  const m = /^\/(.*)\/([A-Za-z]*)$/s.exec(unquote(value))
  if (!m) return 'pcre not in /…/flags form'
  const source = m[1] ?? ''
  let field = currentField
  let flags = ''
  for (const flag of m[2] ?? '') {
    if (flag === 'i' || flag === 's' || flag === 'm') flags += flag
    else if (flag === 'R' || flag === 'O' || flag === 'B')
      continue // position/limit hints: the regex still must match the field
    else if (PCRE_BUFFER_FLAGS[flag]) field = PCRE_BUFFER_FLAGS[flag]
    else return `pcre flag ${flag} has no JavaScript equivalent`
  }
  try {
    new RegExp(source, flags)
  } catch {
    return 'pcre is not a valid JavaScript regular expression'
  }
  return { source, flags, field: field ?? PAYLOAD }
}
