// SSLBL JA3 fingerprint blacklist (CSV): `ja3_md5,Firstseen,Lastseen,Listingreason` after a
// `#` header. abuse.ch stopped updating it in 2020; it is still useful for old families.

import { classOfMalwareLabel } from '../model/family-class.ts'
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseJa3 } from '../normalise/hash.ts'
import { splitCsvLine } from '../plain/csv-line.ts'

export function parseSslblJa3(file: SourceText): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  const lines = file.text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.trim() === '' || line.startsWith('#')) continue
    const error = (reason: string) =>
      errors.push({ feed: file.feed, source: file.source, line: i + 1, text: line, reason })
    const fields = splitCsvLine(line)
    if (fields?.length !== 4) {
      error('expected ja3_md5,Firstseen,Lastseen,Listingreason')
      continue
    }
    const ja3 = normaliseJa3(fields[0] ?? '')
    if (!ja3.ok) {
      error(ja3.reason)
      continue
    }
    const reason = (fields[3] ?? '').trim()
    indicators.push({
      ioc: 'ja3',
      value: ja3.value,
      class: classOfMalwareLabel(reason),
      origin: { feed: file.feed, source: file.source, line: i + 1, label: reason },
    })
  }
  return { indicators, errors }
}
