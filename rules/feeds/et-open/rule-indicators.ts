// The literal lookups among rules: a DNS name, SNI or HTTP host anchored at its end, an exact
// host plus URI, a JA3/JA4 hash or certificate fingerprint, or the addresses of an IP-reputation
// rule's header. These become list entries instead of signatures.
import type { Ioc } from '../model/indicator.ts'
import { normaliseDomain } from '../normalise/domain.ts'
import { normaliseHash, normaliseJa3, normaliseJa4 } from '../normalise/hash.ts'
import { normaliseUrl } from '../normalise/url.ts'
import { isPrintableAscii } from './content-literal.ts'
import type { ContentPattern, FieldSize } from './content-signature.ts'
import { parseHeaderAddresses, singlePort } from './header-addresses.ts'
import type { ParsedRule } from './rule-parse.ts'
import type { Translation } from './translation.ts'

export function literalIndicator(
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
export function urlIndicator(
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

export function headerIndicators(rule: ParsedRule): Translation {
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
