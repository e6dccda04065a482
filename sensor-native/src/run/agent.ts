/**
 * The long-running agent: source → batches (by size and time) → spool → sender → edge.
 *
 * Reading and sending are decoupled by the spool, so an edge outage only grows the spool. A file
 * source pauses while the spool is full (a file can wait; dropping its events would be loss for
 * nothing); a live source cannot wait, so there the spool's overflow policy applies.
 *
 * Stopping always flushes: the batch being gathered goes to the spool and the spool is synced.
 * At the end of input, or when the source fails, the agent delivers everything before it stops;
 * on a signal the sender gets a grace period, and the spool keeps the rest for the next start.
 */
import { randomUUID } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { agentVersion } from '../health/agent-version.ts'
import { EndpointCounter } from '../health/endpoint-counter.ts'
import { HeartbeatCollector } from '../health/heartbeat-collector.ts'
import { internalHosts } from '../health/internal-hosts.ts'
import type { SourceStats } from '../native.ts'
import { localPackIdentity } from '../pack/local-pack.ts'
import { loadSavedPack, savePack } from '../pack/saved-pack.ts'
import { Spool, type SpoolItem, type SpoolReport } from '../spool/spool.ts'
import { type BatchSource, pointOf, type SourcePoint, START } from './batch-source.ts'
import { Batcher } from './batcher.ts'
import type { AgentConfig } from './config.ts'
import { HeartbeatLoop, type HeartbeatTotals } from './heartbeat.ts'
import { canWait, openSource, sourceIdentity } from './open-source.ts'
import { PackPoller, type PackTotals } from './pack-poller.ts'
import { ReplayPacer } from './replay-pacer.ts'
import { Sender, type SenderEvent, type SenderTotals } from './sender.ts'
import { latestTimestamp, parseWireBatch, splitByClass } from './wire-batch.ts'

export type AgentSummary = {
  boot: string
  source: string
  resumedAt: number
  stopped: string
  read: SourceStats | null
  spooled: { records: number; events: number }
  sent: SenderTotals
  spool: ReturnType<Spool['stats']>
  heartbeats?: HeartbeatTotals
  packs?: PackTotals & { version: string | undefined }
  error?: string
}

export type AgentHooks = {
  log?: (line: string) => void
  onProgress?: (stats: SourceStats, extra: string) => void
  /** Replaces the source the config names (tests). */
  openSource?: (config: AgentConfig, at: SourcePoint) => BatchSource
}

/** How often the endpoint sketches are written to the spool directory. */
const SAVE_ENDPOINTS_MS = 60_000

/** While the spool is fuller than this share of its cap, a file source waits. */
const WAIT_ABOVE = 0.9
const PACED_CHUNK = 64
/** How long a live reader waits when the ring had nothing. */
const LIVE_IDLE_MS = 20

export class Agent {
  readonly boot = randomUUID()
  private readonly config: AgentConfig
  private readonly hooks: AgentHooks
  private stopReason: string | undefined
  private wakeReader: (() => void) | undefined
  private endpoints = new EndpointCounter()

  constructor(config: AgentConfig, hooks: AgentHooks = {}) {
    this.config = config
    this.hooks = hooks
  }

  /** Asks the agent to stop; `run()` then flushes and returns. */
  stop(reason: string): void {
    this.stopReason ??= reason
    this.wakeReader?.()
  }

  async run(): Promise<AgentSummary> {
    const { config } = this
    const log = this.hooks.log ?? (() => {})
    let wakeSender = () => {}
    const spool = Spool.open(config.spoolDir, this.boot, {
      maxBytes: config.spoolMaxBytes,
      segmentBytes: config.segmentBytes,
      onReport: (r) => log(describeReport(r)),
      onCommit: () => wakeSender(),
    })
    const identity = sourceIdentity(config.source)
    const saved = spool.committedPosition
    let resumeFrom: SourcePoint = START
    if (saved && saved.source === identity) {
      resumeFrom = saved.capture
        ? { offset: saved.offset, capture: saved.capture }
        : { offset: saved.offset }
    } else if (saved) log(`the spool last read ${saved.source}; reading ${identity} from its start`)

    const sender = new Sender({
      spool,
      target: { edge: config.edge, token: config.token },
      idleMs: config.syncIntervalMs,
      window: config.sendWindow,
      onEvent: (e) => {
        const line = describeSenderEvent(e)
        if (line) log(line)
        if (e.kind === 'fatal') this.stop('the edge refused the sensor')
      },
    })
    wakeSender = () => sender.wake()
    const sending = sender.run()
    const syncTimer = setInterval(() => {
      try {
        spool.sync()
      } catch (err) {
        // A disk that cannot fsync cannot keep promises: stop; the next start recovers.
        log(`cannot sync the spool: ${(err as Error).message}`)
        this.stop('spool error')
      }
    }, config.syncIntervalMs)

    const spooled = { records: 0, events: 0 }
    let source: BatchSource | undefined
    let error: string | undefined
    this.endpoints = EndpointCounter.load(config.spoolDir, log)
    const saveEndpoints = () => {
      try {
        this.endpoints.save(config.spoolDir)
      } catch (err) {
        log(`cannot save the endpoint counts: ${(err as Error).message}`)
      }
    }
    const endpointTimer = setInterval(saveEndpoints, SAVE_ENDPOINTS_MS)
    const target = { edge: config.edge, token: config.token }
    let packs: PackPoller | undefined
    let localPack: ReturnType<typeof localPackIdentity>
    const heartbeat = config.heartbeatIntervalMs
      ? new HeartbeatLoop({
          target,
          boot: this.boot,
          intervalMs: config.heartbeatIntervalMs,
          collector: new HeartbeatCollector(agentVersion()),
          log,
          figures: () => {
            const read = source?.stats()
            const held = spool.stats()
            return {
              packets: read?.packets ?? 0,
              bytes: read?.bytes ?? 0,
              droppedEvents: held.droppedEvents,
              // Files lose nothing below the agent; a live source reports its ring's drops.
              kernelDrops: read?.kernelDrops ?? 0,
              appDropped: read?.appDropped ?? 0,
              encrypted: read?.encrypted ?? 0,
              spoolBytes: held.bytes,
              spoolDepth: held.depth,
              endpoints: this.endpoints.counts(),
              packVersion: packs?.version ?? localPack?.version,
            }
          },
        })
      : undefined
    heartbeat?.start()
    try {
      source = (this.hooks.openSource ?? openSource)(config, resumeFrom)
      const planTarget = source.setPlan?.bind(source)
      // Only a source that matches natively runs a pack here (events files carry their matches).
      if (planTarget) localPack = localPackIdentity(config.plan)
      if (config.packPollMs && config.plan !== 'none' && planTarget) {
        // The pack an earlier run took from the edge, until the first poll says more.
        const saved = loadSavedPack(config.spoolDir, log)
        if (saved && saved.hash !== localPack?.hash) {
          try {
            planTarget(saved.plan)
            localPack = { version: saved.version, hash: saved.hash, tag: saved.tag }
            log(`rule pack ${saved.version} in use, as the last run left it`)
          } catch (err) {
            log(`the saved rule pack ${saved.version} is refused: ${(err as Error).message}`)
          }
        }
        packs = new PackPoller({
          target,
          intervalMs: config.packPollMs,
          plan: { setPlan: planTarget },
          current: localPack,
          log,
          onSwap: (pack) => {
            try {
              savePack(config.spoolDir, pack)
            } catch (err) {
              log(
                `cannot keep rule pack ${pack.version} for the next start: ${(err as Error).message}`,
              )
            }
          },
        })
        packs.start()
      }
      const at = source.stats()
      if (resumeFrom.offset > 0 && at.offset >= at.size)
        log(`${identity} was read to its end by an earlier run`)
      else if (resumeFrom.offset > 0)
        log(
          `resuming ${identity} at byte ${resumeFrom.offset}${resumeFrom.capture ? ` (re-reading from byte ${resumeFrom.capture.readFrom} to rebuild open flows; none of their events again)` : ''}`,
        )
      await this.read(source, spool, identity, spooled, sender)
    } catch (err) {
      // The source cannot go on (or cannot start: a capture it must not read twice). What the
      // spool already holds is still delivered before the agent stops.
      error = (err as Error).message
      log(`${error}; delivering what the spool holds, then stopping`)
    }
    spool.sync()
    sender.wake()
    const drained = () => sender.caughtUp() || sender.fatal !== undefined
    // End of input (or of a source that failed): keep delivering until the edge holds
    // everything, or until a stop request.
    if (this.stopReason === undefined) await this.waitFor(drained, Number.POSITIVE_INFINITY)
    // Stopping: a short grace period to deliver what is queued; the spool keeps the rest.
    if (this.stopReason !== undefined) await this.waitFor(drained, config.shutdownGraceMs)
    sender.stop()
    // The timers stay until the sender, heartbeat and pack poller have settled: they keep Node's
    // event loop alive meanwhile, so a request that resolves late is still awaited (without them
    // Node may find nothing pending and exit with code 13 while run() is still awaiting).
    await Promise.all([sending, heartbeat?.stop(), packs?.stop()])
    clearInterval(syncTimer)
    clearInterval(endpointTimer)
    saveEndpoints()
    spool.close()
    return {
      boot: this.boot,
      source: identity,
      resumedAt: resumeFrom.offset,
      stopped: this.stopReason ?? (error ? 'source error' : 'end of input'),
      read: source?.stats() ?? null,
      spooled,
      sent: sender.totals,
      spool: spool.stats(),
      ...(heartbeat ? { heartbeats: heartbeat.totals } : {}),
      ...(packs ? { packs: { ...packs.totals, version: packs.version } } : {}),
      ...(error ? { error } : sender.fatal ? { error: sender.fatal } : {}),
    }
  }

  private async read(
    source: BatchSource,
    spool: Spool,
    identity: string,
    spooled: { records: number; events: number },
    sender: Sender,
  ): Promise<void> {
    const { config } = this
    const batcher = new Batcher(config.batchEvents, config.batchIntervalMs)
    const pacer = new ReplayPacer(config.replaySpeed)
    const wait = canWait(config.source)
    let paused = false
    const flush = () => {
      const closed = batcher.take()
      if (!closed) return
      const items: SpoolItem[] = []
      for (const [cls, part] of splitByClass(closed.batch)) {
        items.push({ cls, payload: gzipSync(JSON.stringify(part)), events: part.n })
      }
      spool.append(items, { source: identity, ...closed.position })
      spooled.records += items.length
      spooled.events += closed.batch.n
    }
    while (this.stopReason === undefined) {
      if (wait && spool.stats().bytes > config.spoolMaxBytes * WAIT_ABOVE) {
        if (!paused) this.hooks.log?.('spool nearly full: reading paused until the edge catches up')
        paused = true
        flush()
        spool.sync()
        await this.pause(config.syncIntervalMs)
        continue
      }
      paused = false
      const room = config.batchEvents - batcher.size
      const chunk = source.nextBatch(config.replaySpeed > 0 ? Math.min(PACED_CHUNK, room) : room)
      if (chunk === null) break
      const wire = parseWireBatch(chunk)
      this.endpoints.add(internalHosts(wire), latestTimestamp(wire) ?? Date.now())
      const delay = pacer.delayFor(latestTimestamp(wire), Date.now())
      if (delay > 0) {
        // Close what is due before sleeping, so a slow replay still reports within the interval.
        if (batcher.due(Date.now() + delay)) flush()
        await this.pause(delay)
      }
      // Exactly after what was handed out; a capture also names the stretch to re-read so that
      // open flows and unanswered queries are rebuilt (their events are not lost).
      batcher.add(wire, pointOf(source), Date.now())
      if (batcher.due(Date.now())) flush()
      // A quiet link: look again shortly (the ring keeps what arrives meanwhile).
      if (source.live && wire.n === 0) await this.pause(LIVE_IDLE_MS)
      this.hooks.onProgress?.(
        source.stats(),
        `${spool.stats().depth} queued · ${sender.totals.batches} sent`,
      )
      // Native reads are synchronous: let the sender, timers and signals run between chunks.
      await new Promise((resolve) => setImmediate(resolve))
    }
    if (source.live) {
      // Stopping a live capture: the flows still open end now, and their events go out too.
      source.live.close()
      for (
        let c = source.nextBatch(config.batchEvents);
        c;
        c = source.nextBatch(config.batchEvents)
      ) {
        batcher.add(parseWireBatch(c), pointOf(source), Date.now())
        if (batcher.due(Date.now())) flush()
      }
    }
    flush()
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer)
        this.wakeReader = undefined
        resolve()
      }
      const timer = setTimeout(done, ms)
      this.wakeReader = done
    })
  }

  private async waitFor(check: () => boolean, ms: number): Promise<void> {
    const end = Date.now() + ms
    while (!check() && Date.now() < end) {
      if (this.stopReason !== undefined && ms === Number.POSITIVE_INFINITY) return
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

export function describeReport(r: SpoolReport): string {
  switch (r.kind) {
    case 'damage':
      return `spool: skipped ${r.bytes} damaged bytes in ${r.file} at ${r.offset} (${r.reason}${r.lsn === undefined ? '' : `, record ${r.lsn}`})`
    case 'missing':
      return `spool: ${r.lsns} records missing: ${r.reason}`
    case 'dropped':
      return `spool: full; dropped ${r.records} ${r.cls} batches (${r.events} events) in ${r.file}`
    case 'over-cap':
      return `spool: ${r.bytes} bytes is over the ${r.maxBytes} byte cap, holding only evidence, which is never dropped`
  }
}

function describeSenderEvent(e: SenderEvent): string | undefined {
  switch (e.kind) {
    case 'retry':
      return `${e.reason}; retry ${e.attempt} in ${e.delayMs} ms`
    case 'rejected':
      return `edge rejected record ${e.lsn}, sending a tombstone in its place: ${e.reason}`
    case 'fatal':
      return `giving up: ${e.reason}`
    case 'rewind':
      return `edge holds less than was sent; sending again from record ${e.to}`
    case 'delivered':
      return undefined
  }
}
