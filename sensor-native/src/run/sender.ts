/**
 * Delivers the spool to the edge, one batch at a time in lsn order, each under the boot id and
 * seq it was spooled with. The edge's reply names the highest contiguous seq it holds for that
 * boot; that moves the spool's ack cursor, skips ahead when the edge already holds more (batches
 * sent before a crash), and rewinds when it holds less (the edge lost or never got some).
 *
 * An outage never loses data: retries go on until the edge answers or the agent stops. A batch
 * the edge rejects as malformed (4xx) is replaced by a tombstone, so one bad batch cannot block
 * the stream; a rejected credential (401/403) stops the sender, because nothing can get through.
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
}

type Outgoing = Omit<SpoolEntry, 'gap'> & { gap?: string }

export type SenderTotals = {
  batches: number
  tombstones: number
  accepted: number
  alerts: number
  wireBytes: number
}

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
  private sent: number
  private failure: string | undefined

  constructor(options: SenderOptions) {
    this.options = options
    this.sent = options.spool.ack
  }

  /** The reason the sender gave up, if it did (a credential the edge refuses). */
  get fatal(): string | undefined {
    return this.failure
  }

  /** True when the edge has acknowledged everything committed to the spool. */
  caughtUp(): boolean {
    return this.options.spool.ack >= this.options.spool.committed
  }

  /** New records were committed: look now instead of at the end of the idle wait. */
  wake(): void {
    this.wakeUp?.()
  }

  /** Stops at once, abandoning a request or retry wait in progress (the spool keeps the batch). */
  stop(): void {
    this.abort.abort()
    this.wake()
  }

  async run(): Promise<void> {
    const { spool } = this.options
    const signal = this.abort.signal
    while (!signal.aborted && this.failure === undefined) {
      const entry = spool.entryAfter(this.sent)
      if (!entry) {
        await this.idle(this.options.idleMs ?? 200)
        continue
      }
      try {
        await this.deliver(entry)
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
        if (err.status === 401 || err.status === 403) {
          this.failure = err.message
          this.options.onEvent?.({ kind: 'fatal', reason: err.message })
          return
        }
        if (entry.payload === null) {
          this.failure = `the edge refuses even a tombstone: ${err.message}`
          this.options.onEvent?.({ kind: 'fatal', reason: this.failure })
          return
        }
        this.options.onEvent?.({ kind: 'rejected', lsn: entry.lsn, reason: err.message })
        await this.deliver({ ...entry, payload: null, gap: 'rejected' })
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
    const ackLsn = entry.lsn - entry.seq + ackSeq
    spool.acknowledge(ackLsn)
    if (ackLsn >= entry.lsn) this.sent = Math.max(entry.lsn, spool.ack)
    else {
      const to = Math.max(ackLsn, spool.ack)
      onEvent?.({ kind: 'rewind', from: entry.lsn, to: to + 1 })
      this.sent = to
      // The edge is missing earlier batches: give it a moment rather than spin.
      await this.idle(50)
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wakeUp = () => {
        this.wakeUp = undefined
        done()
      }
    })
  }
}

/**
 * The body sent for an lsn that has no batch any more (dropped for space, damaged on disk,
 * rejected by the edge): an empty wire batch, so the edge's sequence has no hole, saying why.
 */
export function tombstone(reason: string): Buffer {
  return gzipSync(JSON.stringify({ v: 1, n: 0, groups: [], gap: reason }))
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
