/**
 * What the agent reads from: the native FileSource for captures, an events file, and (once the
 * native side has live capture) an interface. All hand out wire batches and report a byte
 * offset at which reading can resume without repeating anything already handed out.
 */
import type { ResumePoint, SourceStats } from '../native.ts'

export type BatchSource = {
  /** Up to `max` events as a wire batch (v2), or null at the end of the input. */
  nextBatch(max: number): Buffer | null
  stats(): SourceStats
  /** Matches from now on against a new match plan (JSON); absent where there is no matching. */
  setPlan?(planJson: string): void
  /** Captures: the exact restart point (absent where `stats().offset` is one). */
  resumePoint?(): ResumePoint
  /**
   * Live sources: batches may be empty while the link is quiet (the reader then waits a little),
   * and `close()` ends the open flows so their events come in the last batches.
   */
  live?: { close(): void }
}

/**
 * Where a restarted source goes on so that it hands out nothing twice and loses nothing:
 * `offset` (events files: a line; captures: the packet whose events come next) and, for a
 * capture, the native restart point (it re-reads a stretch before `offset` to rebuild open flows).
 */
export type SourcePoint = { offset: number; capture?: ResumePoint }

export const START: SourcePoint = { offset: 0 }

/** The restart point after everything the source handed out so far. */
export function pointOf(source: BatchSource): SourcePoint {
  const capture = source.resumePoint?.()
  return capture ? { offset: capture.emitFrom, capture } : { offset: source.stats().offset }
}

export class SourceError extends Error {
  override readonly name = 'SourceError'
}
