/**
 * The spool's three small state files, each replaced atomically:
 * - `commit.json`: the highest lsn that is durable (fsynced) and may be sent, the source
 *   position after it, and lifetime drop counters. Written on every sync.
 * - `ack.json`: the highest contiguous lsn the edge acknowledged, written durably on every sync;
 *   acks in between go to `acks.log` (ack-log.ts). After a power loss the cursor may lag by one
 *   sync interval: those batches go out again under the same boot and seq, and the edge's dedup
 *   ignores them.
 * - `boots.json`: which agent run (boot id) owns which lsns. A batch keeps the boot id and seq it
 *   was spooled under for ever, so a batch re-sent after a restart is the same batch to the edge.
 */
import { join } from 'node:path'
import type { ResumePoint } from '../native.ts'
import { readJsonIfExists, writeJsonAtomic } from './atomic-file.ts'

/**
 * Where the source stood after the committed records. `offset` is where reading goes on
 * (events files: a line; captures: the packet whose events come next). A capture also needs
 * `capture`: the stretch before `offset` it re-reads to rebuild the flows that were open
 * (their events are not handed out again), see sensor-native/crates/socbox-sensor/src/outbox.rs.
 */
export type SourcePosition = { source: string; offset: number; capture?: ResumePoint }
export type CommitState = {
  lsn: number
  position: SourcePosition | null
  droppedRecords: number
  droppedEvents: number
}
export type Boot = { boot: string; firstLsn: number }

const NOTHING = -1

export function readCommit(dir: string): CommitState {
  const raw = readJsonIfExists(join(dir, 'commit.json')) as Partial<CommitState> | undefined
  return {
    lsn: typeof raw?.lsn === 'number' ? raw.lsn : NOTHING,
    position: raw?.position ?? null,
    droppedRecords: raw?.droppedRecords ?? 0,
    droppedEvents: raw?.droppedEvents ?? 0,
  }
}

export function writeCommit(dir: string, state: CommitState): void {
  writeJsonAtomic(join(dir, 'commit.json'), { v: 1, ...state })
}

export function readAck(dir: string): number {
  const raw = readJsonIfExists(join(dir, 'ack.json')) as { lsn?: unknown } | undefined
  return typeof raw?.lsn === 'number' ? raw.lsn : NOTHING
}

export function writeAck(dir: string, lsn: number): void {
  writeJsonAtomic(join(dir, 'ack.json'), { v: 1, lsn })
}

export function readBoots(dir: string): Boot[] {
  const raw = readJsonIfExists(join(dir, 'boots.json')) as { boots?: Boot[] } | undefined
  return raw?.boots ?? []
}

export function writeBoots(dir: string, boots: Boot[]): void {
  writeJsonAtomic(join(dir, 'boots.json'), { v: 1, boots })
}

/** The run that spooled `lsn`, and the batch's seq within that run (from 0). */
export function locate(boots: Boot[], lsn: number): { boot: string; seq: number } {
  for (let i = boots.length - 1; i >= 0; i--) {
    const b = boots[i] as Boot
    if (b.firstLsn <= lsn) return { boot: b.boot, seq: lsn - b.firstLsn }
  }
  throw new Error(`spool: no boot owns lsn ${lsn} (boots.json is out of step with the segments)`)
}

/** Drops boots whose every lsn is acknowledged, keeping the one that owns `ack + 1`. */
export function pruneBoots(boots: Boot[], ack: number): Boot[] {
  let keepFrom = 0
  for (let i = 0; i < boots.length; i++) if ((boots[i] as Boot).firstLsn <= ack + 1) keepFrom = i
  return boots.slice(keepFrom)
}
