/**
 * Reads a segment file's bytes into the records that passed their checksums and the damage
 * between them. Damage never stops the scan: after a bad header the reader looks for the next
 * record magic, so one flipped bit costs one record, not the rest of the segment.
 */
import {
  decodeHeader,
  HEADER_BYTES,
  payloadIntact,
  RECORD_MAGIC,
  type RecordHeader,
} from './record.ts'

export type ScannedRecord = RecordHeader & { offset: number; payloadCrc: number }
export type Damage = {
  offset: number
  bytes: number
  reason: string
  /** Known when only the payload was damaged (the header, with its own checksum, was fine). */
  lsn?: number
  events?: number
}
export type SegmentScan = {
  records: ScannedRecord[]
  damage: Damage[]
  /** Where a torn tail starts (a crash during a write), or the file length when there is none. */
  end: number
}

const magicBytes = Buffer.alloc(4)
magicBytes.writeUInt32LE(RECORD_MAGIC, 0)

export function scanSegment(buf: Buffer): SegmentScan {
  const records: ScannedRecord[] = []
  const damage: Damage[] = []
  let pos = 0
  while (pos < buf.length) {
    if (buf.length - pos < HEADER_BYTES) {
      damage.push({ offset: pos, bytes: buf.length - pos, reason: 'torn tail: partial header' })
      return { records, damage, end: pos }
    }
    const check = decodeHeader(buf, pos)
    if (!check.ok) {
      const next = buf.indexOf(magicBytes, pos + 1)
      const stop = next === -1 ? buf.length : next
      damage.push({ offset: pos, bytes: stop - pos, reason: check.reason })
      if (next === -1) return { records, damage, end: pos }
      pos = next
      continue
    }
    const { header, payloadCrc } = check
    const payloadEnd = pos + HEADER_BYTES + header.length
    if (payloadEnd > buf.length) {
      damage.push({
        offset: pos,
        bytes: buf.length - pos,
        reason: 'torn tail: partial payload',
        lsn: header.lsn,
        events: header.events,
      })
      return { records, damage, end: pos }
    }
    if (payloadIntact(buf.subarray(pos + HEADER_BYTES, payloadEnd), payloadCrc)) {
      records.push({ ...header, offset: pos, payloadCrc })
    } else {
      damage.push({
        offset: pos,
        bytes: payloadEnd - pos,
        reason: 'payload checksum mismatch',
        lsn: header.lsn,
        events: header.events,
      })
    }
    pos = payloadEnd
  }
  return { records, damage, end: buf.length }
}
