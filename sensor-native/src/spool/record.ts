/**
 * One spool record on disk: a 32-byte header, then the payload (a gzipped wire batch).
 *
 *   off size field
 *    0   4   magic "SBSP" (u32 LE 0x50534253): lets a reader find the next record after damage
 *    4   1   version (1)
 *    5   1   class (0 conn, 1 detail, 2 evidence; see batch-class.ts)
 *    6   2   reserved (0)
 *    8   4   payload length in bytes
 *   12   4   events in the payload (counted when a record is dropped or lost)
 *   16   8   lsn: the spool's own sequence number, unique and increasing across restarts
 *   24   4   CRC-32 of the payload
 *   28   4   CRC-32 of header bytes 0..27, so a damaged length is never trusted
 *
 * CRC-32 (IEEE, zlib's) rather than CRC-32C: Node ships it natively (`zlib.crc32`), and both
 * detect the torn writes and bit flips a spool meets equally well.
 */
import { crc32 } from 'node:zlib'

export const RECORD_MAGIC = 0x50534253
export const RECORD_VERSION = 1
export const HEADER_BYTES = 32
/** A payload larger than this is a damaged header, not a batch (the edge takes 4 MiB at most). */
export const MAX_PAYLOAD_BYTES = 64 * 1024 * 1024

export type RecordHeader = { cls: number; length: number; events: number; lsn: number }

export function encodeRecord(header: Omit<RecordHeader, 'length'>, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER_BYTES + payload.byteLength)
  out.writeUInt32LE(RECORD_MAGIC, 0)
  out.writeUInt8(RECORD_VERSION, 4)
  out.writeUInt8(header.cls, 5)
  out.writeUInt32LE(payload.byteLength, 8)
  out.writeUInt32LE(header.events, 12)
  out.writeBigUInt64LE(BigInt(header.lsn), 16)
  out.writeUInt32LE(crc32(payload), 24)
  out.writeUInt32LE(crc32(out.subarray(0, 28)), 28)
  out.set(payload, HEADER_BYTES)
  return out
}

export type HeaderCheck =
  | { ok: true; header: RecordHeader; payloadCrc: number }
  | { ok: false; reason: string }

/** Checks the 32 bytes at `at`; the caller must make sure they exist. */
export function decodeHeader(buf: Buffer, at: number): HeaderCheck {
  if (buf.readUInt32LE(at) !== RECORD_MAGIC) return { ok: false, reason: 'no record magic' }
  if (buf.readUInt32LE(at + 28) !== crc32(buf.subarray(at, at + 28))) {
    return { ok: false, reason: 'header checksum mismatch' }
  }
  const version = buf.readUInt8(at + 4)
  if (version !== RECORD_VERSION) return { ok: false, reason: `unknown record version ${version}` }
  const length = buf.readUInt32LE(at + 8)
  if (length > MAX_PAYLOAD_BYTES) return { ok: false, reason: `implausible length ${length}` }
  return {
    ok: true,
    header: {
      cls: buf.readUInt8(at + 5),
      length,
      events: buf.readUInt32LE(at + 12),
      lsn: Number(buf.readBigUInt64LE(at + 16)),
    },
    payloadCrc: buf.readUInt32LE(at + 24),
  }
}

export function payloadIntact(payload: Uint8Array, expectedCrc: number): boolean {
  return crc32(payload) === expectedCrc
}
