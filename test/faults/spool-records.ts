/**
 * The records of a spool segment file, read by the layout sensor-native/src/spool/README.md
 * documents (a 32-byte header: magic "SBSP", …, payload length at 8, events at 12, lsn at 16;
 * then the gzipped wire batch). Read independently of the spool's own scanner, so that a test
 * damaging a record does not trust the code it is testing to find it.
 */
import { gunzipSync } from 'node:zlib'
import { decodeBatch } from '@socbox/dsl/runtime'

const MAGIC = 0x50534253
const HEADER_BYTES = 32

export type SegmentRecord = {
  offset: number
  payloadOffset: number
  length: number
  lsn: number
  events: Record<string, unknown>[]
}

export function segmentRecords(bytes: Buffer): SegmentRecord[] {
  const records: SegmentRecord[] = []
  for (let offset = 0; offset + HEADER_BYTES <= bytes.length; ) {
    if (bytes.readUInt32LE(offset) !== MAGIC) throw new Error(`no record at byte ${offset}`)
    const length = bytes.readUInt32LE(offset + 8)
    const payloadOffset = offset + HEADER_BYTES
    const payload = bytes.subarray(payloadOffset, payloadOffset + length)
    records.push({
      offset,
      payloadOffset,
      length,
      lsn: Number(bytes.readBigUInt64LE(offset + 16)),
      events: decodeBatch(gunzipSync(payload)) as unknown as Record<string, unknown>[],
    })
    offset = payloadOffset + length
  }
  return records
}
