/**
 * What a starting spool finds on disk: every segment scanned, damage reported, records past the
 * commit point cut off (the source reads them again), and each committed, unacknowledged lsn
 * either located or marked as a gap that the sender fills with a tombstone.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { classFromCode } from './batch-class.ts'
import { type Located, type Segment, truncateFile } from './segment.ts'
import { parseSegmentName } from './segment-name.ts'
import { scanSegment } from './segment-scan.ts'
import type { SpoolReport } from './spool.ts'

export type Recovered = {
  segments: Segment[]
  index: Map<number, Located>
  gaps: Map<number, 'damaged'>
  damaged: number
}

export function recoverSegments(
  dir: string,
  committed: number,
  ack: number,
  report: (r: SpoolReport) => void,
): Recovered {
  const found: Recovered = { segments: [], index: new Map(), gaps: new Map(), damaged: 0 }
  const names = readdirSync(dir)
    .map((name) => ({ name, parsed: parseSegmentName(name) }))
    .filter((n) => n.parsed !== undefined)
    .sort((a, b) => (a.parsed?.firstLsn ?? 0) - (b.parsed?.firstLsn ?? 0))
  for (const { name, parsed } of names) {
    if (!parsed) continue
    const path = join(dir, name)
    const bytes = readFileSync(path)
    const scan = scanSegment(bytes)
    const firstUncommitted = scan.records.find((r) => r.lsn > committed)
    const end = firstUncommitted ? firstUncommitted.offset : scan.end
    for (const d of scan.damage) {
      // A torn tail past the commit point is what a crash mid-write leaves; anything else is
      // damage. Both are reported (reasons differ); only damage is counted.
      const torn = d.reason.startsWith('torn tail') && !(d.lsn !== undefined && d.lsn <= committed)
      if (!torn) found.damaged++
      report({ kind: 'damage', file: path, ...d })
    }
    if (end < bytes.length) truncateFile(path, end)
    const segment: Segment = {
      cls: parsed.cls,
      path,
      bytes: end,
      fd: undefined,
      dirty: false,
      lsns: [],
    }
    for (const r of scan.records) {
      if (r.lsn <= ack || r.lsn > committed || classFromCode(r.cls) === undefined) continue
      found.index.set(r.lsn, {
        segment,
        offset: r.offset,
        length: r.length,
        events: r.events,
        crc: r.payloadCrc,
      })
      segment.lsns.push(r.lsn)
    }
    found.segments.push(segment)
  }
  for (let lsn = ack + 1; lsn <= committed; lsn++) {
    if (!found.index.has(lsn)) found.gaps.set(lsn, 'damaged')
  }
  if (found.gaps.size > 0) {
    report({
      kind: 'missing',
      lsns: found.gaps.size,
      reason:
        'committed records not found on disk (damaged or dropped before a restart); tombstones will be sent',
    })
  }
  return found
}
