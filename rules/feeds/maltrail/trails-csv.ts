// Maltrail's compiled trails file (`trails.csv`: `trail,info,reference`), what a Maltrail server
// distributes to its sensors; here it is the synthetic corpus of Maltrail's own tests.
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseIndicator } from '../normalise/indicator.ts'
import { splitCsvLine } from '../plain/csv-line.ts'
import { classOfTrailInfo } from './trail-info-class.ts'
import { parseTrail } from './trail-syntax.ts'

export function parseTrailsCsv(file: SourceText): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  const lines = file.text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.trim() === '' || line.startsWith('#')) continue
    const error = (reason: string) =>
      errors.push({ feed: file.feed, source: file.source, line: i + 1, text: line, reason })
    const fields = splitCsvLine(line)
    if (fields?.length !== 3) {
      error('expected trail,info,reference')
      continue
    }
    const [trail = '', info = '', reference = ''] = fields.map((f) => f.trim())
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
      class: classOfTrailInfo(info),
      origin: {
        feed: file.feed,
        source: file.source,
        line: i + 1,
        label: info,
        references: [reference],
      },
    }
    if (parsed.port !== undefined) indicator.port = parsed.port
    indicators.push(indicator)
  }
  return { indicators, errors }
}
