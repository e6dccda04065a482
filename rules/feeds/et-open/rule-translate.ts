// Turns one parsed Suricata rule into socbox terms: intel entries when the rule is a literal
// lookup (a DNS name, SNI, HTTP host, JA3, certificate fingerprint, or an IP-reputation header),
// a ContentSignature when it is a content match over DNS/HTTP/TLS fields, or a reason why it
// cannot be translated. Nothing is approximated silently: widening or narrowing is noted.
import type { Ioc } from '../model/indicator.ts'
import { normaliseDomain } from '../normalise/domain.ts'
import { normaliseHash, normaliseJa3, normaliseJa4 } from '../normalise/hash.ts'
import { normaliseUrl } from '../normalise/url.ts'
import { decodeContent, isPrintableAscii } from './content-literal.ts'
import type {
  ContentPattern,
  ContentRegex,
  ContentSignature,
  FieldSize,
} from './content-signature.ts'
import { parseHeaderAddresses, singlePort } from './header-addresses.ts'
import { classOfEtRule } from './rule-class.ts'
import { parseMetadata } from './rule-metadata.ts'
import { type ParsedRule, unquote } from './rule-parse.ts'

export interface RuleFactsOut {
  sid: number
  rev: number
  msg: string
  class: string
  references: string[]
  attack: string[]
}

export interface TranslatedIndicator {
  ioc: Ioc
  value: string
  port?: number
}

/** Suricata flowbits of one rule (names as written; `|`/`&` expressions are refused). */
export interface FlowbitState {
  sets: string[]
  isset: string[]
  isnotset: string[]
  noalert: boolean
}

export type Translation =
  | { kind: 'intel'; indicators: TranslatedIndicator[]; note?: string }
  | { kind: 'signature'; signature: Omit<ContentSignature, 'id' | 'licence'> }
  | { kind: 'untranslatable'; reason: string }

/** Sticky buffers (and their pre-5.0 spellings) of the DNS/HTTP/TLS subset → canonical field. */
const STICKY_BUFFERS: Readonly<Record<string, string>> = {
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
const CONTENT_MODIFIERS: Readonly<Record<string, string>> = {
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
const PCRE_BUFFER_FLAGS: Readonly<Record<string, string>> = {
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

/** Keywords that say nothing about what to match (bookkeeping, alert rate, response). */
const NEUTRAL = new Set([
  'msg',
  'sid',
  'rev',
  'gid',
  'classtype',
  'reference',
  'metadata',
  'priority',
  'target',
  'threshold',
  'detection_filter',
  'fast_pattern',
  'tag',
])

const PAYLOAD = '(payload)'

function protoOfField(field: string): 'dns' | 'http' | 'tls' | undefined {
  if (field.startsWith('dns.')) return 'dns'
  if (field.startsWith('tls.') || field.startsWith('ja3') || field.startsWith('ja4')) return 'tls'
  if (field.startsWith('http.') || field === 'file.data') return 'http'
  return undefined
}

function parseSize(text: string): FieldSize | undefined {
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

function parsePcre(value: string, currentField: string | undefined): ContentRegex | string {
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

function facts(rule: ParsedRule): RuleFactsOut | string {
  const values = (key: string) =>
    rule.options.filter((o) => o.key === key).map((o) => o.value ?? '')
  const sid = Number(values('sid')[0])
  if (!Number.isInteger(sid) || sid <= 0) return 'no valid sid'
  const msg = unquote(values('msg')[0] ?? '')
  const metadata = parseMetadata(values('metadata'))
  const classFacts: { msg: string; classtype?: string; malwareFamily?: string } = { msg }
  const classtype = values('classtype')[0]
  if (classtype) classFacts.classtype = classtype
  const family = metadata.get('malware_family')?.[0]
  if (family) classFacts.malwareFamily = family.replace(/_/g, ' ')
  return {
    sid,
    rev: Number(values('rev')[0] ?? 1) || 1,
    msg,
    class: classOfEtRule(classFacts),
    references: values('reference').map((r) => {
      const comma = r.indexOf(',')
      const kind = r.slice(0, comma).trim()
      const target = r.slice(comma + 1).trim()
      return kind === 'url'
        ? /^https?:\/\//.test(target)
          ? target
          : `https://${target}`
        : `${kind}:${target}`
    }),
    attack: metadata.get('mitre_technique_id') ?? [],
  }
}

function literalIndicator(
  pattern: ContentPattern,
  sizes: Record<string, FieldSize>,
  dotprefixed: boolean,
): Translation | undefined {
  const { field, literal } = pattern
  const size = sizes[field]
  const exact = size !== undefined && size.min === literal.length && size.max === literal.length
  // `depth` equal to the literal's length (no offset) only anchors it at the start.
  const anchoredStart =
    pattern.startsWith === true || (pattern.depth === literal.length && !pattern.offset)
  const positioned =
    (pattern.offset !== undefined && pattern.offset !== 0) ||
    (pattern.depth !== undefined && pattern.depth !== literal.length) ||
    pattern.distance !== undefined ||
    pattern.within !== undefined
  if (pattern.negated || positioned || !isPrintableAscii(literal)) return undefined
  if (field === 'ja3.hash' || field === 'ja4.hash' || field === 'tls.cert_fingerprint') {
    const normalised =
      field === 'ja3.hash'
        ? normaliseJa3(literal)
        : field === 'ja4.hash'
          ? normaliseJa4(literal)
          : normaliseHash(literal)
    if (!normalised.ok) return undefined
    const ioc: Ioc = field === 'ja3.hash' ? 'ja3' : field === 'ja4.hash' ? 'ja4' : 'hash'
    return { kind: 'intel', indicators: [{ ioc, value: normalised.value }] }
  }
  if (field !== 'dns.query' && field !== 'tls.sni' && field !== 'http.host') return undefined
  const anchoredEnd = pattern.endsWith === true || exact
  if (!anchoredEnd) return undefined
  const name = literal.startsWith('.') ? literal.slice(1) : literal
  if (!name.includes('.')) return undefined
  const domain = normaliseDomain(name)
  if (!domain.ok) return undefined
  // Domain lists match the name and its subdomains. `.evil.com` + endswith (or dotprefix) is
  // exactly that; an exact name is widened to its subdomains; a bare suffix (`evil.com` that
  // would also hit `notevil.com`) is narrowed to whole labels.
  let note: string | undefined
  const labelSuffix = literal.startsWith('.') && (dotprefixed || pattern.endsWith)
  if (!labelSuffix)
    note =
      exact || anchoredStart
        ? 'exact name widened to its subdomains'
        : 'suffix narrowed to whole labels'
  const translation: Translation = {
    kind: 'intel',
    indicators: [{ ioc: 'domain', value: domain.value }],
  }
  if (note) translation.note = note
  return translation
}

/** Whether a pattern pins its field to exactly its literal (bsize, or anchored at both ends). */
function isExact(pattern: ContentPattern, sizes: Record<string, FieldSize>): boolean {
  const size = sizes[pattern.field]
  const sized =
    size !== undefined && size.min === pattern.literal.length && size.max === pattern.literal.length
  const startAnchored =
    pattern.startsWith === true || (pattern.depth === pattern.literal.length && !pattern.offset)
  const unpositioned =
    pattern.distance === undefined && pattern.within === undefined && !pattern.offset
  return !pattern.negated && unpositioned && (sized || (startAnchored && pattern.endsWith === true))
}

/** An exact `http.host` plus an exact `http.uri` is one URL (the rule names nothing else). */
function urlIndicator(
  patterns: ContentPattern[],
  sizes: Record<string, FieldSize>,
): Translation | undefined {
  const host = patterns.find((p) => p.field === 'http.host')
  const uri = patterns.find((p) => p.field === 'http.uri')
  if (!host || !uri || !isExact(host, sizes) || !isExact(uri, sizes)) return undefined
  if (Object.keys(sizes).some((f) => f !== 'http.host' && f !== 'http.uri')) return undefined
  if (
    !isPrintableAscii(host.literal) ||
    !isPrintableAscii(uri.literal) ||
    !uri.literal.startsWith('/')
  )
    return undefined
  const url = normaliseUrl(`http://${host.literal}${uri.literal}`)
  return url.ok ? { kind: 'intel', indicators: [{ ioc: 'url', value: url.value }] } : undefined
}

function headerIndicators(rule: ParsedRule): Translation {
  const src = parseHeaderAddresses(rule.src)
  const dst = parseHeaderAddresses(rule.dst)
  if (src.kind === 'invalid') return { kind: 'untranslatable', reason: src.reason }
  if (dst.kind === 'invalid') return { kind: 'untranslatable', reason: dst.reason }
  if (src.kind === 'literal' && dst.kind === 'literal') {
    return { kind: 'untranslatable', reason: 'literal addresses on both sides of the header' }
  }
  const side =
    src.kind === 'literal'
      ? { list: src, port: rule.srcPort }
      : dst.kind === 'literal'
        ? { list: dst, port: rule.dstPort }
        : undefined
  if (!side) return { kind: 'untranslatable', reason: 'no content and no literal addresses' }
  const port = singlePort(side.port)
  return {
    kind: 'intel',
    indicators: side.list.addresses.map((value) =>
      port === undefined ? { ioc: 'ip' as const, value } : { ioc: 'ip' as const, value, port },
    ),
  }
}

export interface TranslatedRule {
  facts: RuleFactsOut
  translation: Translation
  state: FlowbitState
  /**
   * The rule's match as a signature body, when it can be expressed and the rule takes part in a
   * flowbits chain: a setter's condition, or a dependent rule's own part (see rules-file.ts).
   */
  condition?: Omit<ContentSignature, 'id' | 'licence'>
}

function isStateful(state: FlowbitState): boolean {
  return state.isset.length > 0 || state.isnotset.length > 0 || state.noalert
}

function statefulReason(state: FlowbitState): string {
  if (state.isnotset.length > 0) return 'depends on state (flowbits isnotset)'
  if (state.isset.length > 0) return 'depends on state set by other rules (flowbits isset)'
  return 'noalert: only sets state for other rules'
}

export function translateRule(rule: ParsedRule): TranslatedRule | { error: string } {
  const ruleFacts = facts(rule)
  if (typeof ruleFacts === 'string') return { error: ruleFacts }
  const state: FlowbitState = { sets: [], isset: [], isnotset: [], noalert: false }
  const untranslatable = (reason: string): TranslatedRule => ({
    facts: ruleFacts,
    translation: { kind: 'untranslatable' as const, reason },
    state,
  })
  /** Rules in a flowbits chain are resolved by the caller; others are final here. */
  const finish = (
    translation: Translation,
    condition?: Omit<ContentSignature, 'id' | 'licence'>,
  ): TranslatedRule => {
    const chained = isStateful(state) || state.sets.length > 0
    const result: TranslatedRule = isStateful(state)
      ? {
          facts: ruleFacts,
          translation: { kind: 'untranslatable', reason: statefulReason(state) },
          state,
        }
      : { facts: ruleFacts, translation, state }
    if (chained && condition) result.condition = condition
    return result
  }

  const patterns: ContentPattern[] = []
  const regexes: ContentRegex[] = []
  const sizes: Record<string, FieldSize> = {}
  const dotprefixed = new Set<string>()
  let buffer: string | undefined
  let direction: 'to_server' | 'to_client' | undefined

  for (const { key, value = '' } of rule.options) {
    const last = patterns[patterns.length - 1]
    if (NEUTRAL.has(key)) continue
    if (key === 'flow') {
      if (/\b(to_server|from_client)\b/.test(value)) direction = 'to_server'
      if (/\b(to_client|from_server)\b/.test(value)) direction = 'to_client'
      continue
    }
    if (key === 'flowbits') {
      const [operation = '', name = ''] = value.split(',').map((part) => part.trim())
      if (/[|&]/.test(name)) return untranslatable('flowbits expression with | or &')
      if (operation === 'set') state.sets.push(name)
      else if (operation === 'isset') state.isset.push(name)
      else if (operation === 'isnotset') state.isnotset.push(name)
      else if (operation === 'noalert') state.noalert = true
      // unset/toggle only matter to rules that test the bit later; chains here are one step.
      continue
    }
    if (key === 'noalert') {
      state.noalert = true
      continue
    }
    if (key === 'xbits' || key === 'flowint') return untranslatable(`depends on state (${key})`)
    const sticky = STICKY_BUFFERS[key]
    if (sticky) {
      buffer = sticky
      continue
    }
    const modifierField = CONTENT_MODIFIERS[key]
    if (modifierField) {
      if (!last) return untranslatable(`${key} without a content`)
      last.field = modifierField
      continue
    }
    switch (key) {
      case 'content': {
        const literal = decodeContent(value)
        if (!literal.ok) return untranslatable(`content: ${literal.reason}`)
        const pattern: ContentPattern = {
          literal: literal.value.bytes,
          nocase: false,
          field: buffer ?? PAYLOAD,
        }
        if (literal.value.negated) pattern.negated = true
        patterns.push(pattern)
        continue
      }
      case 'nocase':
      case 'startswith':
      case 'endswith': {
        if (!last) return untranslatable(`${key} without a content`)
        if (key === 'nocase') last.nocase = true
        else if (key === 'startswith') last.startsWith = true
        else last.endsWith = true
        continue
      }
      case 'depth':
      case 'offset':
      case 'distance':
      case 'within': {
        if (!last) return untranslatable(`${key} without a content`)
        if (!/^-?\d+$/.test(value.trim())) return untranslatable(`${key} uses a variable`)
        last[key] = Number(value)
        continue
      }
      case 'isdataat':
        if (last && /^!1,\s*relative$/.test(value.trim())) {
          last.endsWith = true
          continue
        }
        return untranslatable('isdataat other than "!1,relative"')
      case 'bsize':
      case 'urilen': {
        const field = key === 'urilen' ? 'http.uri' : buffer
        const size = parseSize(value)
        if (!field || !size) return untranslatable(`${key} "${value}" not understood`)
        sizes[field] = size
        continue
      }
      case 'dotprefix':
        if (!buffer) return untranslatable('dotprefix without a buffer')
        dotprefixed.add(buffer)
        continue
      case 'pcre': {
        const regex = parsePcre(value, buffer ?? last?.field)
        if (typeof regex === 'string') return untranslatable(regex)
        regexes.push(regex)
        continue
      }
      default:
        return untranslatable(`unsupported keyword "${key}"`)
    }
  }

  if (patterns.length === 0 && regexes.length === 0) {
    if (buffer || Object.keys(sizes).length > 0) return untranslatable('a buffer without content')
    const header = headerIndicators(rule)
    // A dependent rule without content (`flowbits:isset,x;` alone) is all condition on the bit.
    const proto =
      rule.proto === 'dns' || rule.proto === 'http' || rule.proto === 'tls' ? rule.proto : undefined
    const variablesOnly = [rule.src, rule.dst].every(
      (side) => parseHeaderAddresses(side).kind === 'variable',
    )
    if (proto && variablesOnly) {
      const empty: Omit<ContentSignature, 'id' | 'licence'> = {
        sid: ruleFacts.sid,
        rev: ruleFacts.rev,
        msg: ruleFacts.msg,
        class: ruleFacts.class,
        proto,
        fields: [],
        patterns: [],
        references: ruleFacts.references,
      }
      if (direction) empty.direction = direction
      return finish(header, empty)
    }
    return finish(header)
  }
  const literalSides = [rule.src, rule.dst].filter(
    (side) => parseHeaderAddresses(side).kind !== 'variable',
  )
  if (literalSides.length > 0)
    return untranslatable('content rule restricted to literal header addresses')
  const fields = [
    ...new Set([
      ...patterns.map((p) => p.field),
      ...regexes.map((r) => r.field),
      ...Object.keys(sizes),
    ]),
  ]
  if (fields.includes(PAYLOAD))
    return untranslatable('content on raw payload (outside the DNS/HTTP/TLS subset)')
  const protos = new Set(fields.map(protoOfField))
  if (protos.size !== 1 || protos.has(undefined))
    return untranslatable(`fields ${fields.join(', ')} outside one DNS/HTTP/TLS protocol`)
  const proto = [...protos][0] as 'dns' | 'http' | 'tls'
  if (!['dns', 'http', 'tls', 'tcp', 'udp', 'ip', 'http1', 'http2', proto].includes(rule.proto)) {
    return untranslatable(`protocol ${rule.proto} outside the DNS/HTTP/TLS subset`)
  }
  if (regexes.length > 1) return untranslatable('more than one pcre')
  const signature: Omit<ContentSignature, 'id' | 'licence'> = {
    sid: ruleFacts.sid,
    rev: ruleFacts.rev,
    msg: ruleFacts.msg,
    class: ruleFacts.class,
    proto,
    fields,
    patterns,
    references: ruleFacts.references,
  }
  if (direction) signature.direction = direction
  const regex = regexes[0]
  if (regex) signature.regex = regex
  if (Object.keys(sizes).length > 0) signature.sizes = sizes
  if (ruleFacts.attack.length > 0) signature.attack = ruleFacts.attack
  const condition = dotprefixed.size > 0 ? undefined : signature
  const only = patterns[0]
  if (patterns.length === 1 && regexes.length === 0 && only) {
    const fieldsWithSize = Object.keys(sizes)
    if (fieldsWithSize.every((f) => f === only.field)) {
      const intel = literalIndicator(only, sizes, dotprefixed.has(only.field))
      if (intel) return finish(intel, condition)
    }
  }
  if (patterns.length === 2 && regexes.length === 0 && dotprefixed.size === 0) {
    const url = urlIndicator(patterns, sizes)
    if (url) return finish(url, condition)
  }
  if (dotprefixed.size > 0) return untranslatable('dotprefix transform in a content signature')
  return finish({ kind: 'signature', signature }, signature)
}
