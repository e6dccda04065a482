/**
 * SensorHub: one Durable Object per sensor (`idFromName(sensorId)`). Every batch and heartbeat
 * of the sensor passes through it, one at a time, so that:
 * - a batch already handled (same boot and seq) is answered again without a second effect;
 * - the acknowledgement is the highest contiguous seq of the boot, given only after the batch
 *   is archived in R2 and its alerts and the sensor's last-seen time are committed to D1;
 * - gaps (seqs missing below the highest handled one) are known and reported;
 * - a sensor that floods the edge gets "overloaded" (the route answers 503 + Retry-After);
 * - an alarm fires SENSOR_OFFLINE_AFTER_S after the last contact and marks the sensor offline
 *   with a `device.offline` alert; the next contact marks it online again;
 * - correlation rules see the sensor's events in order, with state kept between batches;
 * - heartbeats update the latest health in D1, a per-minute history here, and raise
 *   `device.drops` / `contract.*` alerts against the tenant's limits;
 * - the edge's own alerts (offline, drops, contract) pass through the alert policy like the
 *   rules' alerts (policy/device-alert-policy.ts).
 */

import { DurableObject } from 'cloudflare:workers'
import type { SocEvent, StatefulEngine } from '@socbox/dsl/runtime'
import { eq } from 'drizzle-orm'
import type { SensorRef } from '../alerts/device-alerts.ts'
import { raiseOffline } from '../alerts/raise-offline.ts'
import { archiveBatch } from '../archive/archive-batch.ts'
import { audit } from '../audit/record.ts'
import { openDatabase } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { healthAlerts, type Limits } from '../health/health-alerts.ts'
import type { Heartbeat } from '../health/heartbeat.ts'
import { heartbeatEvery, offlineAfterMs } from '../health/offline-after.ts'
import { newEngine } from '../ingest/engine.ts'
import { processBatch } from '../ingest/process-batch.ts'
import { raiseDeviceAlerts } from '../policy/device-alert-policy.ts'
import { forgetSiteSettings } from '../policy/policy-memory.ts'
import { type HealthMinute, HubStorage, type Liveness } from './hub-storage.ts'
import { gaps, isHandled, markHandled, tooFarAhead } from './seq-ledger.ts'

export type AcceptInput = {
  sensor: SensorRef
  boot: string
  seq: number
  events: SocEvent[]
  wire: Uint8Array
}

export type AcceptResult =
  | {
      status: 'accepted' | 'duplicate'
      ack: number
      accepted: number
      alerts: number
      gaps: number[]
      archiveKey?: string
    }
  | { status: 'overloaded'; retryAfterS: number }

export type HeartbeatInput = {
  sensor: SensorRef
  boot: string
  seq: number
  health: Heartbeat
  limits: Limits
}

export type HeartbeatResult = { status: 'accepted'; alerts: number } | { status: 'stale' }

export type HubStatus = { liveness: Liveness; history: HealthMinute[] }

/** Requests waiting behind the one in progress before new ones are turned away. */
const MAX_QUEUED = 8

export class SensorHub extends DurableObject<Env> {
  private readonly store: HubStorage
  /** This sensor's rule engine, with its correlation state (in memory: lost on eviction). */
  private engine: StatefulEngine | undefined
  private tail: Promise<unknown> = Promise.resolve()
  private queued = 0
  /** Whether the policy holds open rate windows of device alerts (undefined: not known yet). */
  private deviceWindowsOpen: boolean | undefined

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    this.store = new HubStorage(ctx.storage.sql)
  }

  /**
   * Silence after which the sensor is offline: the tenant's missed-heartbeat count times the
   * interval the sensor's heartbeats arrive at; for a sensor that sends none, the deployment's
   * SENSOR_OFFLINE_AFTER_S.
   */
  private offlineAfterMs(live = this.store.liveness()) {
    return offlineAfterMs(live, Number(this.env.SENSOR_OFFLINE_AFTER_S) * 1000)
  }

  /** Runs `work` after everything queued before it: one request at a time, in arrival order. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work)
    this.tail = run.catch(() => undefined)
    return run
  }

  async accept(input: AcceptInput): Promise<AcceptResult> {
    if (this.queued >= MAX_QUEUED) return { status: 'overloaded', retryAfterS: 2 }
    this.queued++
    try {
      return await this.serial(() => this.handleBatch(input))
    } finally {
      this.queued--
    }
  }

  async heartbeat(input: HeartbeatInput): Promise<HeartbeatResult> {
    return this.serial(() => this.handleHeartbeat(input))
  }

  /** The tenant's site settings changed (edge/src/settings): the next batch reads them again. */
  async reloadSiteSettings(): Promise<void> {
    if (this.engine) forgetSiteSettings(this.engine)
  }

  async status(): Promise<HubStatus> {
    return { liveness: this.store.liveness(), history: this.store.healthHistory() }
  }

  override async alarm(): Promise<void> {
    await this.serial(() => this.checkOffline())
  }

  private async handleBatch(input: AcceptInput): Promise<AcceptResult> {
    const ledger = this.store.ledger(input.boot)
    if (isHandled(ledger, input.seq)) {
      const report = { ack: ledger.contiguous, accepted: 0, alerts: 0, gaps: gaps(ledger) }
      return { status: 'duplicate', ...report }
    }
    if (tooFarAhead(ledger, input.seq)) return { status: 'overloaded', retryAfterS: 5 }
    const now = Date.now()
    const archiveKey = await archiveBatch(this.env.ARCHIVE, {
      tenantId: input.sensor.tenantId,
      sensorId: input.sensor.id,
      boot: input.boot,
      seq: input.seq,
      receivedAt: now,
      wire: input.wire,
      events: input.events.length,
    })
    const db = openDatabase(this.env.DB)
    this.engine ??= newEngine()
    const outcome = await processBatch(this.env, db, this.engine, input.sensor, input.events, now)
    const next = markHandled(ledger, input.seq)
    this.store.saveLedger(input.boot, next, now)
    await this.seen(input.sensor, now)
    return {
      status: 'accepted',
      ack: next.contiguous,
      accepted: outcome.accepted,
      alerts: outcome.alerts,
      gaps: gaps(next),
      archiveKey,
    }
  }

  private async handleHeartbeat(input: HeartbeatInput): Promise<HeartbeatResult> {
    const live = this.store.liveness()
    // Heartbeats are numbered per boot too: an old or replayed one must not overwrite health.
    if (live.heartbeat?.boot === input.boot && input.seq <= live.heartbeat.seq) {
      return { status: 'stale' }
    }
    const now = Date.now()
    const memory = { overBandwidthSince: live.overBandwidthSince }
    const found = healthAlerts(input.sensor, input.health, input.limits, memory, now)
    const db = openDatabase(this.env.DB)
    const update = db
      .update(sensors)
      .set({ lastSeenAt: now, status: 'online', health: { ...input.health, received_at: now } })
      .where(eq(sensors.id, input.sensor.id))
    let stored = 0
    // The policy runs when there is something to decide: new alerts, or rate windows of earlier
    // device alerts that may close now (unknown after a restart, so it runs once then).
    if (found.alerts.length > 0 || this.deviceWindowsOpen !== false) {
      const outcome = await raiseDeviceAlerts(this.env, db, input.sensor, found.alerts, now, [
        update,
      ])
      this.deviceWindowsOpen = outcome.windowsOpen
      stored = outcome.stored.length
    } else {
      await update
    }
    this.store.recordHealth(input.health, now)
    this.store.setLiveness({
      heartbeat: { boot: input.boot, seq: input.seq },
      heartbeatEvery: heartbeatEvery(live, now),
      lastHeartbeatAt: now,
      offlineMissed: input.limits.offlineMissed ?? null,
      overBandwidthSince: found.memory.overBandwidthSince,
      latest: input.health,
    })
    await this.seen(input.sensor, now)
    return { status: 'accepted', alerts: stored }
  }

  /** Records contact: back online if it was offline, and the offline alarm moves forward. */
  private async seen(sensor: SensorRef, now: number) {
    const live = this.store.liveness()
    if (live.offline) {
      await audit(openDatabase(this.env.DB), {
        action: 'sensor.online',
        tenantId: sensor.tenantId,
        target: `sensor:${sensor.id}`,
        detail: { silentSince: live.lastSeenAt },
      })
    }
    this.store.setLiveness({ sensor, lastSeenAt: now, offline: false })
    await this.ctx.storage.setAlarm(now + this.offlineAfterMs())
  }

  private async checkOffline() {
    const live = this.store.liveness()
    if (!live.sensor || live.lastSeenAt === null || live.offline) return
    const due = live.lastSeenAt + this.offlineAfterMs(live)
    const now = Date.now()
    if (now < due) {
      await this.ctx.storage.setAlarm(due)
      return
    }
    await raiseOffline(
      this.env,
      openDatabase(this.env.DB),
      [{ ...live.sensor, lastSeenAt: live.lastSeenAt }],
      now,
    )
    // The offline alert may have opened a rate window: the next heartbeat runs the policy.
    this.deviceWindowsOpen = undefined
    this.store.setLiveness({ offline: true })
  }
}
