// The loop every CSV feed shares: skip blanks, comments and the header, split each record with
// RFC 4180 quoting, check its shape, and keep a bad line as a LineError beside the good ones.
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { splitCsvLine } from './csv-line.ts'

export type CsvShape = {
  /** The feed's header line, skipped like a comment. */
  header?: RegExp
  /** Whether a record has the fields the feed promises. */
  fits: (fields: string[]) => boolean
  /** The error for a record that does not fit, naming the expected fields. */
  expected: string
}

/**
 * Imports each data record with `toIndicator`; a record it answers with a string is kept as
 * that line's error. A UTF-8 BOM before the first line (some mirrors keep one) is ignored.
 */
export function importCsv(
  file: SourceText,
  shape: CsvShape,
  toIndicator: (fields: string[], line: number) => Indicator | string,
): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  const lines = file.text.replace(/^\uFEFF/, '').split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i] ?? ''
    if (text.trim() === '' || text.startsWith('#') || shape.header?.test(text)) continue
    const fields = splitCsvLine(text)
    const result = fields && shape.fits(fields) ? toIndicator(fields, i + 1) : shape.expected
    if (typeof result === 'string') {
      errors.push({ feed: file.feed, source: file.source, line: i + 1, text, reason: result })
    } else indicators.push(result)
  }
  return { indicators, errors }
}
