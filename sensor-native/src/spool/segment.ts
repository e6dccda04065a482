/**
 * A segment file as the spool holds it in memory: its class, size, the lsns it still holds and,
 * while it is the one being appended to, an open descriptor. Plus the raw file operations.
 */
import { closeSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { SpoolClass } from './batch-class.ts'
import { HEADER_BYTES, payloadIntact } from './record.ts'
import { segmentName } from './segment-name.ts'

export type Segment = {
  cls: SpoolClass
  path: string
  bytes: number
  /** Open only for the segment being appended to. */
  fd: number | undefined
  /** Written since the last fsync. */
  dirty: boolean
  /** The unacknowledged lsns it holds, increasing. */
  lsns: number[]
}

/** Where one record's payload lies. */
export type Located = {
  segment: Segment
  offset: number
  length: number
  events: number
  crc: number
}

export function createSegment(dir: string, cls: SpoolClass, firstLsn: number): Segment {
  const path = join(dir, segmentName(cls, firstLsn))
  // w+: the sender reads payloads back through the same descriptor
  return { cls, path, bytes: 0, fd: openSync(path, 'w+'), dirty: true, lsns: [] }
}

export function writeAll(fd: number, buf: Buffer): void {
  let done = 0
  while (done < buf.byteLength) done += writeSync(fd, buf, done, buf.byteLength - done)
}

/** The payload, or null when it is short or fails its checksum now. */
export function readPayload(at: Located): Buffer | null {
  const payload = Buffer.alloc(at.length)
  const fd = at.segment.fd ?? openSync(at.segment.path, 'r')
  try {
    let done = 0
    while (done < at.length) {
      const n = readSync(fd, payload, done, at.length - done, at.offset + HEADER_BYTES + done)
      if (n === 0) return null
      done += n
    }
  } finally {
    if (at.segment.fd === undefined) closeSync(fd)
  }
  return payloadIntact(payload, at.crc) ? payload : null
}

export function truncateFile(path: string, length: number): void {
  const fd = openSync(path, 'r+')
  try {
    ftruncateSync(fd, length)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
