/**
 * A capture file read by the native sensor, resumed exactly once: a restart re-reads the stretch
 * from `capture.readFrom` only to rebuild the flows that were open (the addon hands out none of
 * its events again) and emits from `offset` on. An addon that does not honour the options would
 * read the file again from the start and deliver every event twice, so the agent checks that the
 * source really starts there and refuses otherwise.
 */
import { statSync } from 'node:fs'
import { type FileSource, native, type SourceOptions } from '../native.ts'
import { type BatchSource, SourceError, type SourcePoint, START } from './batch-source.ts'

export function openCapture(
  path: string,
  options: SourceOptions,
  at: SourcePoint = START,
): BatchSource {
  const size = statSync(path).size
  // A position saved before exact resuming: the offset was where reading starts again.
  const readFrom = at.capture?.readFrom ?? at.offset
  if (Math.max(readFrom, at.offset) > size) {
    throw new SourceError(
      `${path} is shorter (${size} bytes) than the saved offset ${Math.max(readFrom, at.offset)}: it is not the capture that was read before`,
    )
  }
  if (readFrom === size) return finished(size)
  const resume: SourceOptions = at.capture
    ? { resume: at.capture }
    : readFrom > 0
      ? { startOffset: readFrom }
      : {}
  const source: FileSource = new (native().FileSource)(path, { ...options, ...resume })
  if (
    readFrom > 0 &&
    (source.stats().offset < readFrom || typeof source.resumePoint !== 'function')
  ) {
    throw new SourceError(
      `${path} was read up to byte ${at.offset} by an earlier run, but this sensor build cannot resume a capture (FileSource has no startOffset/resumePoint); reading it again would deliver its events twice. Start over with a fresh --spool-dir, or update the sensor.`,
    )
  }
  return {
    nextBatch: (max) => source.nextBatch(max),
    stats: () => source.stats(),
    setPlan: (planJson) => source.setPlan(planJson),
    resumePoint: () => source.resumePoint(),
  }
}

/**
 * A capture an earlier run read to its end: nothing is left, and there is no need to ask the
 * addon to seek (which it may not be able to do).
 */
function finished(size: number): BatchSource {
  return {
    nextBatch: () => null,
    resumePoint: () => ({ readFrom: size, emitFrom: size, emitSkip: 0, torn: [] }),
    stats: () => ({
      packets: 0,
      bytes: 0,
      malformed: 0,
      events: 0,
      offset: size,
      size,
      resumeOffset: size,
      emitOffset: size,
      linktype: 'unknown',
    }),
  }
}
