// Feodo Tracker botnet C&C blocklist (CSV): `first_seen_utc,dst_ip,dst_port,c2_status,
// last_online,malware`. The port is kept: Feodo lists a C&C as address *and* port.

import { classOfMalwareLabel } from '../model/family-class.ts'
import type { ImportResult, Indicator, LineError, SourceText } from '../model/indicator.ts'
import { normaliseIp } from '../normalise/ip.ts'
import { splitCsvLine } from '../plain/csv-line.ts'

export function parseFeodoIpBlocklist(file: SourceText): ImportResult {
  const indicators: Indicator[] = []
  const errors: LineError[] = []
  const lines = file.text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line.trim() === '' || line.startsWith('#') || line.startsWith('"first_seen_utc"')) continue
    const error = (reason: string) =>
      errors.push({ feed: file.feed, source: file.source, line: i + 1, text: line, reason })
    const fields = splitCsvLine(line)
    if (fields?.length !== 6) {
      error('expected 6 fields: first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware')
      continue
    }
    const ip = normaliseIp(fields[1] ?? '')
    if (!ip.ok) {
      error(ip.reason)
      continue
    }
    const port = Number(fields[2])
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      error(`invalid port "${fields[2]}"`)
      continue
    }
    const malware = (fields[5] ?? '').trim()
    indicators.push({
      ioc: 'ip',
      value: ip.value,
      port,
      class: classOfMalwareLabel(malware),
      origin: { feed: file.feed, source: file.source, line: i + 1, label: malware },
    })
  }
  return { indicators, errors }
}
