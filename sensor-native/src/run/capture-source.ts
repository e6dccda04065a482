/**
 * A capture file read by the native sensor. Resuming needs the addon to start at a saved byte
 * offset (`startOffset`, a packet boundary from `stats().offset`). An addon that does not honour
 * the option would read the file again from the start and deliver every event twice, so the
 * agent checks that the source really starts there and refuses otherwise.
 */
import { statSync } from 'node:fs'
import { type FileSource, native, type SourceOptions } from '../native.ts'
import { type BatchSource, SourceError } from './batch-source.ts'

export function openCapture(path: string, options: SourceOptions, startOffset = 0): BatchSource {
  const size = statSync(path).size
  if (startOffset > size) {
    throw new SourceError(
      `${path} is shorter (${size} bytes) than the saved offset ${startOffset}: it is not the capture that was read before`,
    )
  }
  if (startOffset === size) return finished(size)
  const withStart = startOffset > 0 ? { ...options, startOffset } : options
  const source: FileSource = new (native().FileSource)(path, withStart)
  if (startOffset > 0 && source.stats().offset < startOffset) {
    throw new SourceError(
      `${path} was read up to byte ${startOffset} by an earlier run, but this sensor build cannot resume a capture (FileSource has no startOffset); reading it again would deliver its events twice. Start over with a fresh --spool-dir, or update the sensor.`,
    )
  }
  return {
    nextBatch: (max) => source.nextBatch(max),
    stats: () => source.stats(),
    setPlan: (planJson) => source.setPlan(planJson),
  }
}

/**
 * A capture an earlier run read to its end: nothing is left, and there is no need to ask the
 * addon to seek (which it may not be able to do).
 */
function finished(size: number): BatchSource {
  return {
    nextBatch: () => null,
    stats: () => ({
      packets: 0,
      bytes: 0,
      malformed: 0,
      events: 0,
      offset: size,
      size,
      linktype: 'unknown',
    }),
  }
}
