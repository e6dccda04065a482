/**
 * Accepted differences: `sensor-native/oracle/accepted.tsv`, columns capture, field, value, reason.
 * Each row names one difference exactly (the capture's dev-set path, the field, the value as the
 * diff prints it) and says why socbox is right or why the difference does not matter. Lines
 * starting with `#` are comments. A row that no longer matches any difference is stale and must go,
 * so the file never hides a regression.
 */
import type { Difference, Field } from './oracle-diff.ts'

export type AcceptedRow = {
  line: number
  capture: string
  field: Field
  value: string
  reason: string
}

const FIELDS: readonly string[] = ['dns', 'tls.sni', 'http', 'flows.tcp', 'flows.udp']
export const ACCEPTED_HEADER = 'capture\tfield\tvalue\treason'

export function parseAccepted(tsv: string): { rows: AcceptedRow[]; errors: string[] } {
  const rows: AcceptedRow[] = []
  const errors: string[] = []
  const lines = tsv.split('\n')
  if (lines[0] !== ACCEPTED_HEADER) errors.push(`line 1: the header must be "${ACCEPTED_HEADER}"`)
  lines.slice(1).forEach((text, i) => {
    const line = i + 2
    if (text.trim() === '' || text.startsWith('#')) return
    const cols = text.split('\t')
    const [capture = '', field = '', value = '', reason = ''] = cols
    if (cols.length !== 4)
      errors.push(`line ${line}: expected 4 tab-separated columns, got ${cols.length}`)
    else if (!FIELDS.includes(field)) errors.push(`line ${line}: unknown field "${field}"`)
    else if (reason.trim().length < 10) errors.push(`line ${line}: give a reason`)
    else rows.push({ line, capture, field: field as Field, value, reason })
  })
  return { rows, errors }
}

/** The differences no row accepts; the rows that accepted one are added to `used`. */
export function unexplained(
  capture: string,
  differences: Difference[],
  rows: AcceptedRow[],
  used: Set<AcceptedRow>,
): Difference[] {
  return differences.filter((d) => {
    const row = rows.find(
      (r) => r.capture === capture && r.field === d.field && r.value === d.value,
    )
    if (row) used.add(row)
    return row === undefined
  })
}
