/**
 * What the agent reads from: the native FileSource for captures, an events file, and (once the
 * native side has live capture) an interface. All hand out wire batches and report a byte
 * offset at which reading can resume without repeating anything already handed out.
 */
import type { SourceStats } from '../native.ts'

export type BatchSource = {
  /** Up to `max` events as a wire batch v1, or null at the end of the input. */
  nextBatch(max: number): Buffer | null
  stats(): SourceStats
  /** Matches from now on against a new match plan (JSON); absent where there is no matching. */
  setPlan?(planJson: string): void
}

export class SourceError extends Error {
  override readonly name = 'SourceError'
}
