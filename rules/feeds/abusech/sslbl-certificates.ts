// SSLBL certificate blacklist as CSV: `SHA1,ListingReason,ListingDate` (the j-bernal mirror keeps
// a UTF-8 BOM before the header). The SHA1 is the fingerprint of a C&C server's TLS certificate.

import { classOfMalwareLabel } from '../model/family-class.ts'
import type { ImportResult, SourceText } from '../model/indicator.ts'
import { normaliseHash } from '../normalise/hash.ts'
import { importCsv } from '../plain/csv-records.ts'

export function parseSslblCertificates(file: SourceText): ImportResult {
  const shape = {
    header: /^SHA1,/i,
    fits: (f: string[]) => f.length >= 2,
    expected: 'expected SHA1,ListingReason,ListingDate',
  }
  return importCsv(file, shape, (fields, line) => {
    const hash = normaliseHash(fields[0] ?? '')
    if (!hash.ok) return hash.reason
    if (hash.value.length !== 40) return 'not a SHA1 (40 hex digits)'
    const reason = (fields[1] ?? '').trim()
    return {
      ioc: 'hash',
      value: hash.value,
      class: classOfMalwareLabel(reason),
      origin: { feed: file.feed, source: file.source, line, label: reason },
    }
  })
}
