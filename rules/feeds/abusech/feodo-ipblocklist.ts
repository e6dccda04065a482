// Feodo Tracker botnet C&C blocklist (CSV): `first_seen_utc,dst_ip,dst_port,c2_status,
// last_online,malware`. The port is kept: Feodo lists a C&C as address *and* port.

import { classOfMalwareLabel } from '../model/family-class.ts'
import type { ImportResult, SourceText } from '../model/indicator.ts'
import { normaliseIp } from '../normalise/ip.ts'
import { importCsv } from '../plain/csv-records.ts'

export function parseFeodoIpBlocklist(file: SourceText): ImportResult {
  const shape = {
    header: /^"first_seen_utc"/,
    fits: (f: string[]) => f.length === 6,
    expected: 'expected 6 fields: first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware',
  }
  return importCsv(file, shape, (fields, line) => {
    const ip = normaliseIp(fields[1] ?? '')
    if (!ip.ok) return ip.reason
    const port = Number(fields[2])
    if (!Number.isInteger(port) || port < 1 || port > 65535) return `invalid port "${fields[2]}"`
    const malware = (fields[5] ?? '').trim()
    return {
      ioc: 'ip',
      value: ip.value,
      port,
      class: classOfMalwareLabel(malware),
      origin: { feed: file.feed, source: file.source, line, label: malware },
    }
  })
}
