// Maltrail static trail files: one trail per line, `#` comments, `# Reference: …` blocks that
// describe the trails below them, and an optional inline ` # note` after a trail. A trail is a
// domain, an IP, `ip:port`, a CIDR, a URL, `host/path` or a bare `/path`; a few are regular
// expressions, which a literal list cannot express and are reported, not guessed at.
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseIndicator } from '../normalise/indicator.ts'
import type { TrailClass } from './trail-classes.ts'

// Regex syntax that never occurs in a literal host or path: escapes, alternation, classes,
// groups, counted repetition, anchors. A lone `)` (`/w00tw00t…DFind:)`) is a literal path.
const REGEX_SYNTAX = /\\|\||\[.*\]|\(.*\)|\{\d*,?\d*\}|^\^|\$$|\*/
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/
const LOOKS_LIKE_IP = /^[0-9.]+(\/\d+)?$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d+)?$/

type Parsed = { ioc: Indicator['ioc']; raw: string; port?: number } | { error: string }

function parseTrail(trail: string): Parsed {
  if (REGEX_SYNTAX.test(trail)) return { error: 'regular-expression trail (no literal to list)' }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trail)) return { ioc: 'url', raw: trail }
  if (/^[0-9.]+(:\d+){2,}$/.test(trail)) return { error: 'address with more than one port' }
  const withPort = IPV4_WITH_PORT.exec(trail)
  if (withPort) {
    const port = Number(withPort[2])
    if (port < 1 || port > 65535) return { error: `port ${port} out of range` }
    return { ioc: 'ip', raw: withPort[1] ?? '', port }
  }
  if (LOOKS_LIKE_IP.test(trail)) return { ioc: 'ip', raw: trail }
  if (trail.includes('/')) return { ioc: 'url', raw: trail }
  if (/:\d+$/.test(trail))
    return { error: 'host with port (Maltrail matches ports only on addresses)' }
  return { ioc: 'domain', raw: trail }
}

export function parseTrailFile(file: SourceText, trailClass: TrailClass): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  const label = file.source.replace(/^.*\//, '').replace(/\.txt$/, '')
  let references: string[] = []
  let referencesClosed = true
  const lines = file.text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const lineNumber = i + 1
    const trimmed = line.trim()
    if (trimmed === '') continue
    if (trimmed.startsWith('#')) {
      const reference = /^#\s*Reference:\s*(\S+)/i.exec(trimmed)
      if (reference) {
        // A reference after trails starts a new block; consecutive references add up.
        if (referencesClosed) references = []
        references.push(reference[1] ?? '')
        referencesClosed = false
      }
      continue
    }
    referencesClosed = true
    const trail = trimmed.replace(/\s+#.*$/, '').trim()
    const error = (reason: string) =>
      errors.push({ feed: file.feed, source: file.source, line: lineNumber, text: line, reason })
    const parsed = parseTrail(trail)
    if ('error' in parsed) {
      error(parsed.error)
      continue
    }
    const normalised = normaliseIndicator(parsed.ioc, parsed.raw)
    if (!normalised.ok) {
      error(`${parsed.ioc}: ${normalised.reason}`)
      continue
    }
    const indicator: Indicator = {
      ioc: parsed.ioc,
      value: normalised.value,
      class: trailClass.class,
      origin: { feed: file.feed, source: file.source, line: lineNumber, label, references },
    }
    if (parsed.port !== undefined) indicator.port = parsed.port
    indicators.push(indicator)
  }
  return { indicators, errors }
}
