// Maltrail static trail files: one trail per line, `#` comments, `# Reference: …` blocks that
// describe the trails below them, and an optional inline ` # note` after a trail. A trail is a
// domain, an IP, `ip:port`, a CIDR, a URL, `host/path` or a bare `/path`; a few are regular
// expressions, which a literal list cannot express and are reported, not guessed at.
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import type { TrailClass } from './trail-classes.ts'
import { trailIndicator } from './trail-indicator.ts'

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
    const result = trailIndicator(trail, trailClass.class, {
      feed: file.feed,
      source: file.source,
      line: lineNumber,
      label,
      references,
    })
    if (typeof result === 'string') {
      errors.push({
        feed: file.feed,
        source: file.source,
        line: lineNumber,
        text: line,
        reason: result,
      })
    } else indicators.push(result)
  }
  return { indicators, errors }
}
