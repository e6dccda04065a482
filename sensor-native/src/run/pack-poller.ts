/**
 * Polls the edge for the tenant's rule pack every `intervalMs` and hot-swaps a newer one into the
 * running source (`setPlan`, between batches: no packet is lost). A pack that fails its hash
 * check, or whose plan the sensor refuses, is reported and the old plan stays in use. Outages
 * and refusals are reported once each, not on every poll.
 */
import { fetchPack, type PackFetch, type PackTarget } from '../pack/fetch-pack.ts'
import type { PackIdentity } from '../pack/local-pack.ts'
import type { VerifiedPack } from '../pack/verify-pack.ts'

export type PlanTarget = { setPlan(planJson: string): void }
export type PackPollerOptions = {
  target: PackTarget
  intervalMs: number
  plan: PlanTarget
  /** The pack in use at the start, when known. */
  current?: PackIdentity | undefined
  log?: (line: string) => void
  /** After a pack is in use (to keep it for the next start). */
  onSwap?: (pack: VerifiedPack) => void
  fetch?: typeof fetch
}
export type PackTotals = { polls: number; swaps: number; refused: number; errors: number }

export class PackPoller {
  readonly totals: PackTotals = { polls: 0, swaps: 0, refused: 0, errors: 0 }
  private readonly options: PackPollerOptions
  private current: PackIdentity | undefined
  private timer: NodeJS.Timeout | undefined
  private inFlight: Promise<unknown> | undefined
  private lastProblem: string | undefined

  constructor(options: PackPollerOptions) {
    this.options = options
    this.current = options.current
  }

  /** Version of the pack in use, if known. */
  get version(): string | undefined {
    return this.current?.version
  }

  start(): void {
    if (this.timer) return
    const tick = () => {
      this.inFlight ??= this.poll().finally(() => {
        this.inFlight = undefined
      })
    }
    tick()
    this.timer = setInterval(tick, this.options.intervalMs)
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.inFlight
  }

  /** One poll: asks, verifies, swaps; returns what the edge answered. */
  async poll(): Promise<PackFetch> {
    this.totals.polls++
    const current = this.current
    const got = await fetchPack(
      this.options.target,
      current?.tag ?? current?.hash,
      this.options.fetch,
    )
    switch (got.kind) {
      case 'unchanged':
        this.lastProblem = undefined
        break
      case 'new':
        // Only the policies (which run at the edge) changed: same plan, a new name for the pack.
        if (current && got.pack.hash === current.hash) {
          this.options.log?.(
            `rule pack ${got.pack.version}: policies changed, match plan unchanged (was ${current.version})`,
          )
          this.current = { version: got.pack.version, hash: got.pack.hash, tag: got.pack.tag }
          this.lastProblem = undefined
          this.options.onSwap?.(got.pack)
          break
        }
        try {
          this.options.plan.setPlan(got.pack.plan)
        } catch (err) {
          this.refuse(
            `pack ${got.pack.version}: the sensor refused its plan (${(err as Error).message})`,
          )
          break
        }
        this.options.log?.(
          `rule pack ${got.pack.version} in use (was ${this.current?.version ?? 'the local plan'})`,
        )
        this.current = { version: got.pack.version, hash: got.pack.hash, tag: got.pack.tag }
        this.totals.swaps++
        this.lastProblem = undefined
        this.options.onSwap?.(got.pack)
        break
      case 'refused':
        this.refuse(got.reason)
        break
      case 'error':
        this.totals.errors++
        this.report(`pack poll: ${got.reason}`)
        break
    }
    return got
  }

  private refuse(reason: string): void {
    this.totals.refused++
    this.report(
      `refused a new rule pack, keeping ${this.current?.version ?? 'the local plan'}: ${reason}`,
    )
  }

  private report(line: string): void {
    if (line !== this.lastProblem) this.options.log?.(line)
    this.lastProblem = line
  }
}
