// SSLBL JA3 fingerprint blacklist (CSV): `ja3_md5,Firstseen,Lastseen,Listingreason` after a
// `#` header. abuse.ch stopped updating it in 2020; it is still useful for old families.

import { classOfMalwareLabel } from '../model/family-class.ts'
import type { ImportResult, SourceText } from '../model/indicator.ts'
import { normaliseJa3 } from '../normalise/hash.ts'
import { importCsv } from '../plain/csv-records.ts'

export function parseSslblJa3(file: SourceText): ImportResult {
  const shape = {
    fits: (f: string[]) => f.length === 4,
    expected: 'expected ja3_md5,Firstseen,Lastseen,Listingreason',
  }
  return importCsv(file, shape, (fields, line) => {
    const ja3 = normaliseJa3(fields[0] ?? '')
    if (!ja3.ok) return ja3.reason
    const reason = (fields[3] ?? '').trim()
    return {
      ioc: 'ja3',
      value: ja3.value,
      class: classOfMalwareLabel(reason),
      origin: { feed: file.feed, source: file.source, line, label: reason },
    }
  })
}
