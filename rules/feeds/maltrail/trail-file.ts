// Maltrail static trail files: one trail per line, `#` comments, `# Reference: …` blocks that
// describe the trails below them, and an optional inline ` # note` after a trail. A trail is a
// domain, an IP, `ip:port`, a CIDR, a URL, `host/path` or a bare `/path`; a few are regular
// expressions, which a literal list cannot express and are reported, not guessed at.
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseIndicator } from '../normalise/indicator.ts'
import type { TrailClass } from './trail-classes.ts'
import { parseTrail } from './trail-syntax.ts'

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
