/**
 * SensorHub: one Durable Object per sensor (`idFromName(sensorId)`). Every batch of the sensor
 * passes through it, one at a time, so that:
 * - a batch already handled (same boot and seq) is answered again without a second effect;
 * - the acknowledgement is the highest contiguous seq of the boot, given only after the batch
 *   is archived in R2 and its alerts and the sensor's last-seen time are committed to D1;
 * - gaps (seqs missing below the highest handled one) are known and reported;
 * - a sensor that floods the edge gets "overloaded" (the route answers 503 + Retry-After).
 * The ledger of recent boots lives in the object's own SQLite storage.
 */

import { DurableObject } from 'cloudflare:workers'
import type { SocEvent } from '@socbox/dsl/runtime'
import { archiveBatch } from '../archive/archive-batch.ts'
import { openDatabase } from '../db/client.ts'
import type { Env } from '../env.ts'
import { defaultEngine } from '../ingest/engine.ts'
import { type BatchSensor, processBatch } from '../ingest/process-batch.ts'
import {
  emptyLedger,
  gaps,
  isHandled,
  type Ledger,
  markHandled,
  tooFarAhead,
} from './seq-ledger.ts'

export type AcceptInput = {
  sensor: BatchSensor
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

/** Batches waiting behind the one in progress before new ones are turned away. */
const MAX_QUEUED = 8
/** Boots remembered per sensor; an agent restarted more often than this within the spool's
 * lifetime could see a very old batch counted again (alerts still dedup by key). */
const BOOTS_KEPT = 32

export class SensorHub extends DurableObject<Env> {
  private tail: Promise<unknown> = Promise.resolve()
  private queued = 0

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.blockConcurrencyWhile(async () => {
      ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS boots (
        boot TEXT PRIMARY KEY, contiguous INTEGER NOT NULL, above TEXT NOT NULL,
        updated_at INTEGER NOT NULL)`)
    })
  }

  async accept(input: AcceptInput): Promise<AcceptResult> {
    if (this.queued >= MAX_QUEUED) return { status: 'overloaded', retryAfterS: 2 }
    this.queued++
    // Batches of one sensor run strictly one after another, in arrival order.
    const run = this.tail.then(() => this.handle(input))
    this.tail = run.catch(() => undefined)
    try {
      return await run
    } finally {
      this.queued--
    }
  }

  /** The ledger of one boot (for tests and the health view). */
  ledger(boot: string): Ledger {
    const row = this.ctx.storage.sql
      .exec<{ contiguous: number; above: string }>(
        'SELECT contiguous, above FROM boots WHERE boot = ?',
        boot,
      )
      .toArray()[0]
    return row ? { contiguous: row.contiguous, above: JSON.parse(row.above) } : emptyLedger()
  }

  private saveLedger(boot: string, ledger: Ledger, now: number) {
    const sql = this.ctx.storage.sql
    sql.exec(
      `INSERT INTO boots (boot, contiguous, above, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (boot) DO UPDATE SET contiguous = excluded.contiguous,
         above = excluded.above, updated_at = excluded.updated_at`,
      boot,
      ledger.contiguous,
      JSON.stringify(ledger.above),
      now,
    )
    sql.exec(
      'DELETE FROM boots WHERE boot NOT IN (SELECT boot FROM boots ORDER BY updated_at DESC LIMIT ?)',
      BOOTS_KEPT,
    )
  }

  private async handle(input: AcceptInput): Promise<AcceptResult> {
    const ledger = this.ledger(input.boot)
    if (isHandled(ledger, input.seq)) {
      return {
        status: 'duplicate',
        ack: ledger.contiguous,
        accepted: 0,
        alerts: 0,
        gaps: gaps(ledger),
      }
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
    const outcome = await processBatch(
      this.env,
      db,
      defaultEngine(),
      input.sensor,
      input.events,
      now,
    )
    const next = markHandled(ledger, input.seq)
    this.saveLedger(input.boot, next, now)
    return {
      status: 'accepted',
      ack: next.contiguous,
      accepted: outcome.accepted,
      alerts: outcome.alerts,
      gaps: gaps(next),
      archiveKey,
    }
  }
}
