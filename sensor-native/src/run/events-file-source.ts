/**
 * Reads an events file as `socbox events` prints it (one JSON event per line) and hands out wire
 * batches. It replays recorded sensor output into an edge without the capture (and lets the
 * agent's delivery path be exercised end to end without the native addon). Its offsets are line
 * boundaries, so it resumes exactly.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import type { SourceStats } from '../native.ts'
import { type BatchSource, SourceError } from './batch-source.ts'
import { encodeEvents } from './wire-batch.ts'

const CHUNK = 1 << 20

export function openEventsFile(path: string, startOffset = 0): BatchSource {
  const fd = openSync(path, 'r')
  const size = fstatSync(fd).size
  if (startOffset > size) {
    closeSync(fd)
    throw new SourceError(
      `${path} is shorter (${size} bytes) than the saved offset ${startOffset}: it is not the file that was read before`,
    )
  }
  let readAt = startOffset
  let consumed = startOffset
  let pending = Buffer.alloc(0)
  let events = 0
  let lineNo = 0
  let closed = false

  const nextLine = (): string | null => {
    for (;;) {
      const nl = pending.indexOf(10)
      if (nl !== -1) {
        const line = pending.subarray(0, nl).toString('utf8')
        pending = pending.subarray(nl + 1)
        consumed += nl + 1
        return line
      }
      if (closed) return null
      const chunk = Buffer.alloc(CHUNK)
      const n = readSync(fd, chunk, 0, CHUNK, readAt)
      if (n === 0) {
        closeSync(fd)
        closed = true
        // A last line without a newline still counts.
        if (pending.length === 0) return null
        const line = pending.toString('utf8')
        consumed += pending.length
        pending = Buffer.alloc(0)
        return line
      }
      readAt += n
      pending = Buffer.concat([pending, chunk.subarray(0, n)])
    }
  }

  return {
    nextBatch(max) {
      const batch: Record<string, unknown>[] = []
      while (batch.length < max) {
        const line = nextLine()
        if (line === null) break
        lineNo++
        if (line.trim() === '') continue
        try {
          batch.push(JSON.parse(line) as Record<string, unknown>)
        } catch (err) {
          throw new SourceError(
            `${path}: line ${lineNo} after offset ${startOffset} is not JSON (${(err as Error).message})`,
          )
        }
      }
      if (batch.length === 0) return null
      events += batch.length
      return Buffer.from(JSON.stringify(encodeEvents(batch)))
    },
    stats(): SourceStats {
      return {
        packets: 0,
        bytes: consumed - startOffset,
        malformed: 0,
        events,
        offset: consumed,
        size,
        linktype: 'events',
      }
    },
  }
}
