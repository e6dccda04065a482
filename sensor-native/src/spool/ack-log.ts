/**
 * Acknowledgements between syncs, appended to `acks.log` as 16-byte entries (lsn u64, CRC-32 of
 * those 8 bytes, magic "SBAK"), without fsync. An append survives a killed process, so a restarted
 * agent never hands out an acknowledged batch again, at the cost of a write() per ack instead of
 * a file replacement per ack (a rename costs milliseconds on some filesystems). Each sync writes
 * `ack.json` durably and empties the log. A torn last entry is ignored.
 */
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'

const ENTRY = 16
const MAGIC = 0x4b414253 // "SBAK"

export class AckLog {
  private readonly fd: number

  constructor(dir: string) {
    this.fd = openSync(join(dir, 'acks.log'), 'a+')
  }

  /** The highest lsn in the log, or -1. */
  static highest(dir: string): number {
    let bytes: Buffer
    try {
      bytes = readFileSync(join(dir, 'acks.log'))
    } catch {
      return -1
    }
    let highest = -1
    for (let at = 0; at + ENTRY <= bytes.length; at += ENTRY) {
      if (bytes.readUInt32LE(at + 12) !== MAGIC) continue
      if (bytes.readUInt32LE(at + 8) !== crc32(bytes.subarray(at, at + 8))) continue
      highest = Math.max(highest, Number(bytes.readBigUInt64LE(at)))
    }
    return highest
  }

  append(lsn: number): void {
    const entry = Buffer.alloc(ENTRY)
    entry.writeBigUInt64LE(BigInt(lsn), 0)
    entry.writeUInt32LE(crc32(entry.subarray(0, 8)), 8)
    entry.writeUInt32LE(MAGIC, 12)
    writeSync(this.fd, entry)
  }

  /** Called once `ack.json` durably holds at least every lsn in the log. */
  clear(): void {
    ftruncateSync(this.fd, 0)
  }

  close(): void {
    closeSync(this.fd)
  }
}
