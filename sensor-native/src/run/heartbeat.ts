/**
 * Sends a heartbeat every `intervalMs` while the agent runs. Each one is numbered within the boot
 * (the edge ignores an old or replayed one). A heartbeat that fails is reported and dropped: the
 * next one, a few seconds later, says more than a retry would. One is in flight at a time.
 */
import type { AgentFigures, HeartbeatCollector } from '../health/heartbeat-collector.ts'
import type { HeartbeatFields } from '../health/heartbeat-fields.ts'
import {
  type HeartbeatOutcome,
  type HeartbeatTarget,
  postHeartbeat,
} from '../health/post-heartbeat.ts'

export type HeartbeatLoopOptions = {
  target: HeartbeatTarget
  boot: string
  intervalMs: number
  collector: HeartbeatCollector
  figures: () => AgentFigures
  log?: (line: string) => void
  fetch?: typeof fetch
}

export type HeartbeatTotals = { sent: number; accepted: number; failed: number }

export class HeartbeatLoop {
  readonly totals: HeartbeatTotals = { sent: 0, accepted: 0, failed: 0 }
  private readonly options: HeartbeatLoopOptions
  private seq = 0
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<void> | undefined
  private lastFailure: string | undefined

  constructor(options: HeartbeatLoopOptions) {
    this.options = options
  }

  start(): void {
    if (this.timer) return
    this.beat()
    this.timer = setInterval(() => this.beat(), this.options.intervalMs)
  }

  /** Stops the timer and waits for the heartbeat in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.inFlight
  }

  private beat(): void {
    if (this.inFlight) return
    const fields: HeartbeatFields = this.options.collector.collect(this.options.figures())
    const meta = { boot: this.options.boot, seq: this.seq++ }
    this.totals.sent++
    this.inFlight = postHeartbeat(this.options.target, meta, fields, this.options.fetch)
      .then((outcome) => this.settle(outcome))
      .finally(() => {
        this.inFlight = undefined
      })
  }

  private settle(outcome: HeartbeatOutcome): void {
    if (outcome.ok) {
      this.totals.accepted++
      if (this.lastFailure) this.options.log?.('heartbeats reach the edge again')
      this.lastFailure = undefined
      return
    }
    this.totals.failed++
    // Reported once per kind of failure, so an outage does not flood the log.
    if (outcome.reason !== this.lastFailure) this.options.log?.(`heartbeat: ${outcome.reason}`)
    this.lastFailure = outcome.reason
  }
}
