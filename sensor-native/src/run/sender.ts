/**
 * Delivers the spool to the edge in lsn order, each batch under the boot id and seq it was
 * spooled with, with up to `window` requests in flight (the edge's per-sensor hub accepts seqs
 * out of order and acknowledges the highest contiguous one, so a window hides the round trip).
 *
 * Every reply's `ack` moves the spool's ack cursor. A window never spans two boots, because an
 * ack speaks only for its own boot. When nothing is in flight and the edge still acknowledges
 * less than it was sent (it lost batches), sending starts again after its ack.
 *
 * An outage never loses data: each batch is retried until the edge answers or the agent stops.
 * A batch the edge rejects as malformed (4xx) is replaced by a tombstone, so one bad batch cannot
 * block the stream; a refused credential (401/403) or a wire version the edge does not read (415)
 * stops the sender, as nothing can get through.
 */
import { gzipSync } from 'node:zlib'
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF } from '../agent/backoff.ts'
import {
  IngestError,
  type IngestReply,
  type IngestTarget,
  postBatch,
} from '../agent/ingest-client.ts'
import type { Spool, SpoolEntry } from '../spool/spool.ts'

export type SenderEvent =
  | { kind: 'delivered'; lsn: number; boot: string; seq: number; reply: IngestReply }
  | { kind: 'retry'; attempt: number; delayMs: number; reason: string }
  | { kind: 'rewind'; from: number; to: number }
  | { kind: 'rejected'; lsn: number; reason: string }
  | { kind: 'fatal'; reason: string }

export type SenderOptions = {
  spool: Spool
  target: IngestTarget
  onEvent?: (e: SenderEvent) => void
  /** Attempts per round of postBatch; after a round the sender waits and starts another. */
  policy?: BackoffPolicy
  /** How long to wait for new records before looking again. */
  idleMs?: number
  /** Requests in flight at once (1: one at a time). */
  window?: number
}

type Outgoing = Omit<SpoolEntry, 'gap'> & { gap?: string }

export type SenderTotals = {
  batches: number
  tombstones: number
  accepted: number
  alerts: number
  wireBytes: number
}

export const DEFAULT_WINDOW = 4

export class Sender {
  readonly totals: SenderTotals = {
    batches: 0,
    tombstones: 0,
    accepted: 0,
    alerts: 0,
    wireBytes: 0,
  }
  private readonly options: SenderOptions
  private readonly abort = new AbortController()
  private wakeUp: (() => void) | undefined
  private failure: string | undefined

  constructor(options: SenderOptions) {
    this.options = options
  }

  /** The reason the sender gave up, if it did (a credential the edge refuses). */
  get fatal(): string | undefined {
    return this.failure
  }

  /** True when the edge has acknowledged everything committed to the spool. */
  caughtUp(): boolean {
    return this.options.spool.ack >= this.options.spool.committed
  }

  /** New records were committed (or a request finished): look now. */
  wake(): void {
    this.wakeUp?.()
  }

  /** Stops at once, abandoning requests and retry waits in progress (the spool keeps them). */
  stop(): void {
    this.abort.abort()
    this.wake()
  }

  async run(): Promise<void> {
    const { spool, onEvent } = this.options
    const window = Math.max(1, this.options.window ?? DEFAULT_WINDOW)
    const signal = this.abort.signal
    const inflight = new Set<Promise<void>>()
    let windowBoot = ''
    let next = spool.ack // highest lsn handed to a request
    let rewinds = 0 // in a row without the ack moving: back off, an edge may keep losing them
    let ackAtRewind = spool.ack
    while (!signal.aborted && this.failure === undefined) {
      if (inflight.size === 0 && spool.ack < next) {
        // Every request is answered, yet the edge holds less than it was sent.
        rewinds = spool.ack > ackAtRewind ? 1 : rewinds + 1
        ackAtRewind = spool.ack
        onEvent?.({ kind: 'rewind', from: next, to: spool.ack + 1 })
        next = spool.ack
        await abortableSleep(Math.min(30_000, 50 * 2 ** (rewinds - 1)), signal).catch(() => {})
        continue
      }
      while (inflight.size < window) {
        const entry = spool.entryAfter(next)
        if (!entry || (inflight.size > 0 && entry.boot !== windowBoot)) break
        windowBoot = entry.boot
        next = entry.lsn
        const task: Promise<void> = this.deliverUntilDone(entry).finally(() => {
          inflight.delete(task)
          this.wake()
        })
        inflight.add(task)
      }
      if (inflight.size === 0) await this.idle(this.options.idleMs ?? 200)
      else await Promise.race([...inflight, this.idle(Number.POSITIVE_INFINITY)])
    }
    await Promise.allSettled(inflight)
  }

  /** Posts one batch until the edge holds it, it is replaced by a tombstone, or we stop. */
  private async deliverUntilDone(first: Outgoing): Promise<void> {
    const signal = this.abort.signal
    let entry = first
    while (!signal.aborted && this.failure === undefined) {
      try {
        await this.deliver(entry)
        return
      } catch (err) {
        if (signal.aborted) return
        if (!(err instanceof IngestError)) throw err
        if (err.retryable) {
          // A whole round of retries failed (a long outage): wait as long as the longest backoff
          // before the next round, rather than start again from the shortest delay.
          const policy = this.options.policy ?? DEFAULT_BACKOFF
          await abortableSleep(backoffDelay(policy, policy.maxAttempts), signal).catch(() => {})
          continue
        }
        // 401/403: a refused credential; 415: a wire version the edge cannot read yet. No batch
        // gets through either way, so stop and keep the spool rather than drop them one by one.
        if (
          err.status === 401 ||
          err.status === 403 ||
          err.status === 415 ||
          entry.payload === null
        ) {
          this.failure =
            entry.payload === null
              ? `the edge refuses even a tombstone: ${err.message}`
              : err.message
          this.options.onEvent?.({ kind: 'fatal', reason: this.failure })
          return
        }
        this.options.onEvent?.({ kind: 'rejected', lsn: entry.lsn, reason: err.message })
        entry = { ...entry, payload: null, gap: 'rejected' }
      }
    }
  }

  private async deliver(entry: Outgoing): Promise<void> {
    const { spool, target, onEvent } = this.options
    const signal = this.abort.signal
    const body = entry.payload ?? tombstone(entry.gap ?? 'damaged')
    const reply = await postBatch(
      target,
      body,
      { boot: entry.boot, seq: entry.seq },
      {
        policy: this.options.policy,
        sleep: (ms) => abortableSleep(ms, signal),
        fetch: (url, init) => fetch(url, { ...init, signal }),
        onRetry: (attempt, delayMs, reason) =>
          onEvent?.({ kind: 'retry', attempt, delayMs, reason }),
      },
    )
    this.totals.batches++
    if (entry.payload === null) this.totals.tombstones++
    this.totals.accepted += reply.accepted
    this.totals.alerts += reply.alerts
    this.totals.wireBytes += body.byteLength
    onEvent?.({ kind: 'delivered', lsn: entry.lsn, boot: entry.boot, seq: entry.seq, reply })
    // An edge that does not report acks is taken to hold what it accepted.
    const ackSeq = typeof reply.ack === 'number' ? reply.ack : entry.seq
    const bootStart = entry.lsn - entry.seq
    // An ack speaks for its own boot only: it counts once every earlier boot is acknowledged.
    if (spool.ack >= bootStart - 1) spool.acknowledge(bootStart + ackSeq)
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        if (this.wakeUp === done) this.wakeUp = undefined
        resolve()
      }
      const timer = Number.isFinite(ms) ? setTimeout(done, ms) : undefined
      this.wakeUp = done
    })
  }
}

/**
 * The body sent for an lsn that has no batch any more (dropped for space, damaged on disk,
 * rejected by the edge): an empty wire batch, so the edge's sequence has no hole, saying why.
 */
export function tombstone(reason: string): Buffer {
  return gzipSync(JSON.stringify({ v: 2, n: 0, groups: [], gap: reason }))
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    function onAbort() {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
