/**
 * Streams a classic pcap file (Ethernet, microsecond timestamps) through one reused buffer, so
 * memory stays bounded whatever the file size. A record is reserved and its frame bytes are then
 * written straight into the buffer, which spares a copy per packet.
 */
import { closeSync, writeSync } from 'node:fs'

export const LINKTYPE_ETHERNET = 1
const SNAPLEN = 262_144

export type PcapWriter = {
  /** The buffer that record() returns offsets into; valid until the next record(). */
  readonly buffer: Buffer
  /** Reserves a record; returns the offset in `buffer` where its `caplen` frame bytes go. */
  record(tsUs: number, caplen: number, origLen: number): number
  /** Bytes of the file so far, including those not yet flushed. */
  size(): number
  close(): void
}

export function pcapWriter(fd: number, chunkBytes = 8 << 20): PcapWriter {
  let buffer = Buffer.allocUnsafe(Math.max(chunkBytes, 64 * 1024))
  let pos = 0
  let flushed = 0
  const flush = () => {
    let done = 0
    while (done < pos) done += writeSync(fd, buffer, done, pos - done)
    flushed += pos
    pos = 0
  }
  buffer.writeUInt32LE(0xa1b2c3d4, 0)
  buffer.writeUInt16LE(2, 4)
  buffer.writeUInt16LE(4, 6)
  buffer.writeInt32LE(0, 8)
  buffer.writeUInt32LE(0, 12)
  buffer.writeUInt32LE(SNAPLEN, 16)
  buffer.writeUInt32LE(LINKTYPE_ETHERNET, 20)
  pos = 24
  return {
    get buffer() {
      return buffer
    },
    record(tsUs, caplen, origLen) {
      if (pos + 16 + caplen > buffer.length) {
        flush()
        if (16 + caplen > buffer.length) buffer = Buffer.allocUnsafe(16 + caplen)
      }
      const sec = Math.floor(tsUs / 1_000_000)
      buffer.writeUInt32LE(sec, pos)
      buffer.writeUInt32LE(tsUs - sec * 1_000_000, pos + 4)
      buffer.writeUInt32LE(caplen, pos + 8)
      buffer.writeUInt32LE(Math.max(origLen, caplen), pos + 12)
      pos += 16 + caplen
      return pos - caplen
    },
    size: () => flushed + pos,
    close() {
      flush()
      closeSync(fd)
    },
  }
}
