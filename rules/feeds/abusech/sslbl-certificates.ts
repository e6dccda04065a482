// SSLBL certificate blacklist as CSV: `SHA1,ListingReason,ListingDate` (the j-bernal mirror keeps
// a UTF-8 BOM before the header). The SHA1 is the fingerprint of a C&C server's TLS certificate.

import { classOfMalwareLabel } from '../model/family-class.ts'
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseHash } from '../normalise/hash.ts'
import { splitCsvLine } from '../plain/csv-line.ts'

export function parseSslblCertificates(file: SourceText): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  const lines = file.text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.trim() === '' || line.startsWith('#') || /^SHA1,/i.test(line)) continue
    const error = (reason: string) =>
      errors.push({ feed: file.feed, source: file.source, line: i + 1, text: line, reason })
    const fields = splitCsvLine(line)
    if (!fields || fields.length < 2) {
      error('expected SHA1,ListingReason,ListingDate')
      continue
    }
    const hash = normaliseHash(fields[0] ?? '')
    if (!hash.ok || hash.value.length !== 40) {
      error(hash.ok ? 'not a SHA1 (40 hex digits)' : hash.reason)
      continue
    }
    const reason = (fields[1] ?? '').trim()
    indicators.push({
      ioc: 'hash',
      value: hash.value,
      class: classOfMalwareLabel(reason),
      origin: { feed: file.feed, source: file.source, line: i + 1, label: reason },
    })
  }
  return { indicators, errors }
}
