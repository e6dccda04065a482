// Maltrail's compiled trails file (`trails.csv`: `trail,info,reference`), what a Maltrail server
// distributes to its sensors; here it is the synthetic corpus of Maltrail's own tests.
import type { ImportResult, SourceText } from '../model/indicator.ts'
import { importCsv } from '../plain/csv-records.ts'
import { trailIndicator } from './trail-indicator.ts'
import { classOfTrailInfo } from './trail-info-class.ts'

export function parseTrailsCsv(file: SourceText): ImportResult {
  const shape = { fits: (f: string[]) => f.length === 3, expected: 'expected trail,info,reference' }
  return importCsv(file, shape, (fields, line) => {
    const [trail = '', info = '', reference = ''] = fields.map((f) => f.trim())
    return trailIndicator(trail, classOfTrailInfo(info), {
      feed: file.feed,
      source: file.source,
      line,
      label: info,
      references: [reference],
    })
  })
}
