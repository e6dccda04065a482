// Turns one parsed Suricata rule into socbox terms: intel entries when the rule is a literal
// lookup (rule-indicators.ts), a ContentSignature when it is a content match over DNS/HTTP/TLS
// fields, or a reason why it cannot be translated. Nothing is approximated silently: widening
// or narrowing of literal rules is noted. A rule with flowbits is a signature carrying them (the
// sensor keeps the bits per flow), so it cannot be an intel entry.

import { decodeContent } from './content-literal.ts'
import type {
  ContentPattern,
  ContentRegex,
  ContentSignature,
  FieldSize,
  Flowbits,
} from './content-signature.ts'
import { parseHeaderAddresses } from './header-addresses.ts'
import { parseHeaderPorts } from './header-ports.ts'
import { classOfEtRule } from './rule-class.ts'
import { headerIndicators, literalIndicator, urlIndicator } from './rule-indicators.ts'
import { parseMetadata } from './rule-metadata.ts'
import { type ParsedRule, unquote } from './rule-parse.ts'
import {
  CONTENT_MODIFIERS,
  PAYLOAD,
  parsePcre,
  parseSize,
  protoOfField,
  STICKY_BUFFERS,
} from './suricata-buffers.ts'
import type { FlowbitState, RuleFactsOut, TranslatedRule, Translation } from './translation.ts'

export type {
  FlowbitState,
  RuleFactsOut,
  TranslatedIndicator,
  TranslatedRule,
  Translation,
} from './translation.ts'

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
  'tag',
])

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

function isStateful(state: FlowbitState): boolean {
  return state.isset.length > 0 || state.isnotset.length > 0 || state.noalert
}

function hasFlowbits(state: FlowbitState): boolean {
  return isStateful(state) || [state.sets, state.unset, state.toggle].some((l) => l.length > 0)
}

/** The signature's `flowbits`: only the parts the rule has. */
function flowbitsOf(state: FlowbitState): Flowbits {
  const out: Flowbits = {}
  if (state.sets.length > 0) out.set = state.sets
  if (state.unset.length > 0) out.unset = state.unset
  if (state.toggle.length > 0) out.toggle = state.toggle
  if (state.isset.length > 0) out.isset = state.isset
  if (state.isnotset.length > 0) out.isnotset = state.isnotset
  if (state.noalert) out.noalert = true
  return out
}

/** Why a rule with flowbits whose match is no content signature (header addresses) is left out. */
function statefulReason(state: FlowbitState): string {
  if (state.isset.length > 0 || state.isnotset.length > 0)
    return 'flowbits test on a match that is not a content signature'
  return 'noalert flowbits setter on a match that is not a content signature'
}

export function translateRule(rule: ParsedRule): TranslatedRule | { error: string } {
  const ruleFacts = facts(rule)
  if (typeof ruleFacts === 'string') return { error: ruleFacts }
  const state: FlowbitState = {
    sets: [],
    unset: [],
    toggle: [],
    isset: [],
    isnotset: [],
    noalert: false,
  }
  const untranslatable = (reason: string): TranslatedRule => ({
    facts: ruleFacts,
    translation: { kind: 'untranslatable' as const, reason },
    state,
  })
  /** A rule with flowbits becomes its condition plus the bits, whatever else it could be. */
  const finish = (
    translation: Translation,
    condition?: Omit<ContentSignature, 'id' | 'set' | 'licence'>,
  ): TranslatedRule => {
    if (!hasFlowbits(state)) return { facts: ruleFacts, translation, state }
    if (condition)
      return {
        facts: ruleFacts,
        translation: {
          kind: 'signature',
          signature: { ...condition, flowbits: flowbitsOf(state) },
        },
        state,
      }
    // A plain setter that is an intel entry still alerts; its bit is then never set.
    if (!isStateful(state)) return { facts: ruleFacts, translation, state }
    return {
      facts: ruleFacts,
      translation: { kind: 'untranslatable', reason: statefulReason(state) },
      state,
    }
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
      else if (operation === 'unset') state.unset.push(name)
      else if (operation === 'toggle') state.toggle.push(name)
      else if (operation === 'isset') state.isset.push(name)
      else if (operation === 'isnotset') state.isnotset.push(name)
      else if (operation === 'noalert') state.noalert = true
      else return untranslatable(`flowbits operation "${operation}"`)
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
      case 'fast_pattern':
        // The content the author chose to be searched for first; a bare
        // `fast_pattern` before any content marks nothing.
        if (last) last.fastPattern = true
        continue
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
      const empty: Omit<ContentSignature, 'id' | 'set' | 'licence'> = {
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
  const ports = signaturePorts(rule)
  if (typeof ports === 'string') return untranslatable(ports)
  if (fields.includes(PAYLOAD)) {
    const raw = payloadSignature(rule, fields, { patterns, regexes, sizes, direction })
    if (typeof raw === 'string') return untranslatable(raw)
    const signature = { ...raw.signature, ...common(ruleFacts), ...ports }
    return finish(
      { kind: 'signature', signature, ...(raw.note ? { note: raw.note } : {}) },
      signature,
    )
  }
  const protos = new Set(fields.map(protoOfField))
  if (protos.size !== 1 || protos.has(undefined))
    return untranslatable(`fields ${fields.join(', ')} outside one DNS/HTTP/TLS protocol`)
  const proto = [...protos][0] as 'dns' | 'http' | 'tls'
  if (!['dns', 'http', 'tls', 'tcp', 'udp', 'ip', 'http1', 'http2', proto].includes(rule.proto)) {
    return untranslatable(`protocol ${rule.proto} outside the DNS/HTTP/TLS subset`)
  }
  if (regexes.length > 1) return untranslatable('more than one pcre')
  const signature: Omit<ContentSignature, 'id' | 'set' | 'licence'> = {
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
  if (ports.ports) signature.ports = ports.ports
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

type SignatureBody = Omit<ContentSignature, 'id' | 'set' | 'licence'>

/** The header's ports as a signature's `ports` (left out when both are any), or why not. */
function signaturePorts(
  rule: ParsedRule,
): { ports?: NonNullable<SignatureBody['ports']> } | string {
  const src = parseHeaderPorts(rule.srcPort)
  if (typeof src === 'string') return src
  const dst = parseHeaderPorts(rule.dstPort)
  if (typeof dst === 'string') return dst
  if (src.length === 0 && dst.length === 0) return {}
  if (rule.direction === '<>') return 'header ports on a bidirectional rule'
  return { ports: { ...(src.length > 0 ? { src } : {}), ...(dst.length > 0 ? { dst } : {}) } }
}

function common(facts: RuleFactsOut): Pick<
  SignatureBody,
  'sid' | 'rev' | 'msg' | 'class' | 'references'
> & {
  attack?: string[]
} {
  return {
    sid: facts.sid,
    rev: facts.rev,
    msg: facts.msg,
    class: facts.class,
    references: facts.references,
    ...(facts.attack.length > 0 ? { attack: facts.attack } : {}),
  }
}

/**
 * Header protocols whose raw content the sensor's `payload` field sees: the reassembled stream
 * (tcp), each datagram (udp), or both (ip). An application protocol is matched on any stream of
 * its transport: a widening, counted as a note.
 */
const RAW_TRANSPORT: Readonly<Record<string, 'tcp' | 'udp' | 'ip'>> = {
  tcp: 'tcp',
  'tcp-stream': 'tcp',
  udp: 'udp',
  ip: 'ip',
  http: 'tcp',
  http1: 'tcp',
  smtp: 'tcp',
  smb: 'tcp',
  ftp: 'tcp',
  ssh: 'tcp',
  dns: 'ip',
}

/**
 * A rule whose contents are all on the raw payload → a `payload` signature, when that is sound:
 * no app-layer buffer beside it and a stream or datagram protocol (the
 * header's ports travel with the signature).
 */
function payloadSignature(
  rule: ParsedRule,
  fields: string[],
  parts: {
    patterns: ContentPattern[]
    regexes: ContentRegex[]
    sizes: Record<string, FieldSize>
    direction: 'to_server' | 'to_client' | undefined
  },
):
  | {
      signature: Omit<SignatureBody, 'sid' | 'rev' | 'msg' | 'class' | 'references'>
      note?: string
    }
  | string {
  if (fields.length > 1) return 'content on raw payload beside app-layer fields'
  const transport = RAW_TRANSPORT[rule.proto]
  if (!transport) return `content on raw payload of ${rule.proto} (packets, not a stream)`
  if (parts.regexes.length > 1) return 'more than one pcre'
  if (Object.keys(parts.sizes).length > 0) return 'a size on raw payload'
  const field = 'payload'
  const signature: Omit<SignatureBody, 'sid' | 'rev' | 'msg' | 'class' | 'references'> = {
    proto: transport,
    fields: [field],
    patterns: parts.patterns.map((p) => ({ ...p, field })),
  }
  if (parts.direction) signature.direction = parts.direction
  const regex = parts.regexes[0]
  if (regex) signature.regex = { ...regex, field }
  const widened = !['tcp', 'tcp-stream', 'udp', 'ip'].includes(rule.proto)
  return widened
    ? { signature, note: `raw payload of ${rule.proto} matched on any ${transport} stream` }
    : { signature }
}
