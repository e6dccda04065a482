/**
 * Gathers what the source hands out into batches for the spool: a batch closes when it holds
 * `maxEvents` or when its first event has waited `intervalMs` (so a quiet network still reports
 * within the interval). It also carries the source position after its last event, which is what
 * the spool commits with it.
 */
import type { SourcePoint } from './batch-source.ts'
import { appendBatch, emptyBatch, type WireBatch } from './wire-batch.ts'

export type ClosedBatch = { batch: WireBatch; position: SourcePoint }

export class Batcher {
  private readonly maxEvents: number
  private readonly intervalMs: number
  private batch: WireBatch = emptyBatch()
  private position: SourcePoint | undefined
  private openedAt = 0

  constructor(maxEvents: number, intervalMs: number) {
    this.maxEvents = maxEvents
    this.intervalMs = intervalMs
  }

  get size(): number {
    return this.batch.n
  }

  /** Adds a chunk read up to source offset `position` (an empty chunk only moves the position). */
  add(chunk: WireBatch, position: SourcePoint, now: number): void {
    if (chunk.n > 0 && this.batch.n === 0) this.openedAt = now
    appendBatch(this.batch, chunk)
    this.position = position
  }

  due(now: number): boolean {
    if (this.batch.n >= this.maxEvents) return true
    return this.batch.n > 0 && now - this.openedAt >= this.intervalMs
  }

  /** The batch so far (possibly empty, when only the position moved), or null when nothing is held. */
  take(): ClosedBatch | null {
    if (this.position === undefined) return null
    const closed = { batch: this.batch, position: this.position }
    this.batch = emptyBatch()
    this.position = undefined
    return closed
  }
}
