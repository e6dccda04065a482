// The simplest feed format: one indicator per line, `#` comments, blank lines ignored
// (ThreatFox IP export, Tor relay/exit lists, ET's compromised-ips.txt).
import type { ImportResult, Indicator, Ioc, LineError, SourceText } from '../model/indicator.ts'
import { normaliseIndicator } from '../normalise/indicator.ts'

export interface LineListOptions {
  ioc: Ioc
  class: string
  label: string
}

export function parseLineList(file: SourceText, options: LineListOptions): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  const lines = file.text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const entry = line.replace(/#.*$/, '').trim()
    if (entry === '') continue
    const normalised = normaliseIndicator(options.ioc, entry)
    if (!normalised.ok) {
      errors.push({
        feed: file.feed,
        source: file.source,
        line: i + 1,
        text: line,
        reason: normalised.reason,
      })
      continue
    }
    indicators.push({
      ioc: options.ioc,
      value: normalised.value,
      class: options.class,
      origin: { feed: file.feed, source: file.source, line: i + 1, label: options.label },
    })
  }
  return { indicators, errors }
}
