// Suricata rule syntax, as used by Emerging Threats and abuse.ch:
//   action proto src src_port -> dst dst_port (key:value; key; …)
// Values may be quoted, but quotes do not protect `;`: like Suricata, an option ends at the first
// unescaped `;` (a literal one is written `\;` or `|3b|`), so `pcre:"/^["']?x/";` still parses.
// The parser only splits; what the keywords mean is decided by the translator.
import { fail, ok, type Result } from '../model/result.ts'

export interface RuleOption {
  key: string
  /** Raw value with surrounding whitespace trimmed; quotes kept (see unquote). */
  value?: string
}

export interface ParsedRule {
  action: string
  proto: string
  src: string
  srcPort: string
  direction: '->' | '<>'
  dst: string
  dstPort: string
  options: RuleOption[]
}

/** Splits `[a, [b,c]]`-style header fields without breaking on spaces inside brackets. */
function splitHeader(header: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (const char of header) {
    if (char === '[') depth++
    if (char === ']') depth--
    if (/\s/.test(char) && depth === 0) {
      if (current !== '') parts.push(current)
      current = ''
    } else {
      current += char
    }
  }
  if (current !== '') parts.push(current)
  return parts
}

function parseOptions(body: string): Result<RuleOption[]> {
  const options: RuleOption[] = []
  let i = 0
  while (i < body.length) {
    while (i < body.length && /\s/.test(body[i] ?? '')) i++
    if (i >= body.length) break
    let key = ''
    while (i < body.length && body[i] !== ':' && body[i] !== ';') key += body[i++]
    key = key.trim()
    if (key === '') return fail(`empty option name at offset ${i}`)
    if (body[i] === ';') {
      options.push({ key })
      i++
      continue
    }
    if (i >= body.length) return fail(`option "${key}" not terminated by ";"`)
    i++ // ':'
    let value = ''
    for (; i < body.length; i++) {
      const char = body[i] ?? ''
      if (char === '\\' && i + 1 < body.length) {
        value += char + (body[i + 1] ?? '')
        i++
        continue
      }
      if (char === ';') break
      value += char
    }
    if (body[i] !== ';') return fail(`option "${key}" not terminated by ";"`)
    i++
    options.push({ key, value: value.trim() })
  }
  return ok(options)
}

export function parseRule(line: string): Result<ParsedRule> {
  const text = line.trim()
  const open = text.indexOf('(')
  if (open === -1 || !text.endsWith(')')) return fail('no option block "( … )"')
  const header = splitHeader(text.slice(0, open))
  if (header.length !== 7) return fail(`header has ${header.length} fields, expected 7`)
  const [action, proto, src, srcPort, direction, dst, dstPort] = header as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ]
  if (direction !== '->' && direction !== '<>') return fail(`unknown direction "${direction}"`)
  const options = parseOptions(text.slice(open + 1, -1))
  if (!options.ok) return options
  return ok({ action, proto, src, srcPort, direction, dst, dstPort, options: options.value })
}

/** Removes surrounding quotes and the rule-format escapes `\"`, `\;`, `\\`. */
export function unquote(value: string): string {
  const inner =
    value.startsWith('"') && value.endsWith('"') && value.length >= 2 ? value.slice(1, -1) : value
  return inner.replace(/\\(["\\;:])/g, '$1')
}
