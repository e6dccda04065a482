/**
 * The sensor's on-disk queue between the source and the edge. Batches are appended to segment
 * files (one chain per delivery class), become sendable once synced (fsync + commit point), and
 * are deleted once the edge has acknowledged every record of their segment.
 *
 * Guarantees (tested by spool.property.test.ts):
 * - a record is handed to the sender only after it is durable, so a batch the edge holds is
 *   never lost and re-read from the source after a crash;
 * - every committed lsn above the ack cursor is delivered, in lsn order, either as its payload
 *   or, when it was dropped for space or damaged on disk, as a tombstone, so the edge's
 *   contiguous ack never stalls on a hole;
 * - records above the commit point after a crash are cut off: the source re-reads them.
 */
import { closeSync, fsyncSync, mkdirSync, unlinkSync } from 'node:fs'
import { join } from 'node:path'
import { AckLog } from './ack-log.ts'
import { syncDirectory } from './atomic-file.ts'
import { classCode, DROP_ORDER, type SpoolClass } from './batch-class.ts'
import { lockDirectory } from './dir-lock.ts'
import { encodeRecord, HEADER_BYTES } from './record.ts'
import { createSegment, type Located, readPayload, type Segment, writeAll } from './segment.ts'
import { recoverSegments } from './spool-recovery.ts'
import {
  type Boot,
  type CommitState,
  locate,
  pruneBoots,
  readAck,
  readBoots,
  readCommit,
  type SourcePosition,
  writeAck,
  writeBoots,
  writeCommit,
} from './spool-state.ts'

export type SpoolOptions = {
  /** Cap on the bytes of all segment files; see the overflow policy in batch-class.ts. */
  maxBytes: number
  /** A segment is closed and a new one started past this size. */
  segmentBytes?: number
  /** Sync (fsync + commit) by itself after this many appended records. */
  syncRecords?: number
  onReport?: (report: SpoolReport) => void
  /** Called after a sync made new records sendable (the sender need not poll). */
  onCommit?: () => void
}

export type SpoolReport =
  | { kind: 'damage'; file: string; offset: number; bytes: number; reason: string; lsn?: number }
  | { kind: 'missing'; lsns: number; reason: string }
  | { kind: 'dropped'; cls: SpoolClass; file: string; records: number; events: number }
  | { kind: 'over-cap'; bytes: number; maxBytes: number }

export type SpoolItem = { cls: SpoolClass; payload: Uint8Array; events: number }

/** What the sender posts next: a payload, or a tombstone for an lsn that has none any more. */
export type SpoolEntry = {
  lsn: number
  boot: string
  seq: number
  payload: Buffer | null
  events: number
  gap?: 'dropped' | 'damaged'
}

export type SpoolStats = {
  bytes: number
  maxBytes: number
  /** Committed records the edge has not acknowledged yet. */
  depth: number
  pending: number
  ack: number
  committed: number
  droppedRecords: number
  droppedEvents: number
  damaged: number
}

export const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024
export const DEFAULT_SYNC_RECORDS = 64

export class Spool {
  readonly dir: string
  readonly boot: string
  private readonly options: Required<Omit<SpoolOptions, 'onReport' | 'onCommit'>>
  private readonly report: (r: SpoolReport) => void
  private readonly onCommit: () => void
  private readonly unlock: () => void
  private readonly ackLog: AckLog
  private readonly index = new Map<number, Located>()
  private readonly gaps = new Map<number, 'dropped' | 'damaged'>()
  private readonly chains = new Map<SpoolClass, Segment[]>()
  private boots: Boot[]
  private state: CommitState
  private ackLsn: number
  private persistedAck: number
  private nextLsn: number
  private position: SourcePosition | null
  private pendingRecords = 0
  private damaged = 0
  private overCap = false
  private dirDirty = false

  /** Opens (or creates) the spool in `dir` for a new run of the agent, named `boot`. */
  static open(dir: string, boot: string, options: SpoolOptions): Spool {
    return new Spool(dir, boot, options)
  }

  private constructor(dir: string, boot: string, options: SpoolOptions) {
    this.dir = dir
    this.boot = boot
    this.options = {
      maxBytes: options.maxBytes,
      segmentBytes: options.segmentBytes ?? DEFAULT_SEGMENT_BYTES,
      syncRecords: options.syncRecords ?? DEFAULT_SYNC_RECORDS,
    }
    this.report = options.onReport ?? (() => {})
    this.onCommit = options.onCommit ?? (() => {})
    mkdirSync(dir, { recursive: true })
    this.unlock = lockDirectory(dir)
    this.state = readCommit(dir)
    this.ackLsn = Math.min(Math.max(readAck(dir), AckLog.highest(dir)), this.state.lsn)
    this.persistedAck = readAck(dir)
    this.ackLog = new AckLog(dir)
    this.position = this.state.position
    this.recover()
    this.nextLsn = this.state.lsn + 1
    this.boots = [...this.recoverBoots(boot), { boot, firstLsn: this.nextLsn }]
    writeBoots(dir, this.boots)
    this.persistAck()
    this.deleteAcknowledged()
  }

  /** Where the source stood after the last committed record (null: nothing committed yet). */
  get committedPosition(): SourcePosition | null {
    return this.state.position
  }

  get committed(): number {
    return this.state.lsn
  }

  get ack(): number {
    return this.ackLsn
  }

  /**
   * Appends one source batch, split into its classes, as consecutive records. `position` is
   * where the source stands after this batch; it becomes durable with the next sync.
   */
  append(items: SpoolItem[], position?: SourcePosition): number[] {
    const lsns: number[] = []
    for (const item of items) {
      const lsn = this.nextLsn++
      const record = encodeRecord(
        { cls: classCode(item.cls), events: item.events, lsn },
        item.payload,
      )
      this.makeRoom(record.byteLength)
      const segment = this.activeSegment(item.cls, lsn, record.byteLength)
      writeAll(segment.fd as number, record)
      this.index.set(lsn, {
        segment,
        offset: segment.bytes,
        length: item.payload.byteLength,
        events: item.events,
        crc: record.readUInt32LE(24),
      })
      segment.bytes += record.byteLength
      segment.lsns.push(lsn)
      segment.dirty = true
      lsns.push(lsn)
      this.pendingRecords++
    }
    if (position) this.position = position
    if (this.pendingRecords >= this.options.syncRecords) this.sync()
    return lsns
  }

  /**
   * Makes appended records durable and sendable, persists the ack cursor and deletes segments
   * the edge has fully acknowledged. Cheap when nothing changed.
   */
  sync(): void {
    const last = this.nextLsn - 1
    const positionMoved = !samePosition(this.position, this.state.position)
    if (last > this.state.lsn || positionMoved) {
      for (const chain of this.chains.values()) {
        for (const segment of chain) {
          if (segment.dirty && segment.fd !== undefined) fsyncSync(segment.fd)
          segment.dirty = false
        }
      }
      if (this.dirDirty) syncDirectory(this.dir)
      this.dirDirty = false
      this.state = { ...this.state, lsn: last, position: this.position }
      writeCommit(this.dir, this.state)
      this.pendingRecords = 0
      this.onCommit()
    }
    if (this.persistAck()) this.deleteAcknowledged()
  }

  /** The next committed entry after `lsn`, or null when the sender has caught up. */
  entryAfter(lsn: number): SpoolEntry | null {
    const next = Math.max(lsn, this.ackLsn) + 1
    if (next > this.state.lsn) return null
    const { boot, seq } = locate(this.boots, next)
    const at = this.index.get(next)
    if (at) {
      const payload = readPayload(at)
      if (payload) return { lsn: next, boot, seq, payload, events: at.events }
      this.damaged++
      this.report({
        kind: 'damage',
        file: at.segment.path,
        offset: at.offset,
        bytes: HEADER_BYTES + at.length,
        reason: 'payload checksum mismatch on read',
        lsn: next,
      })
      this.index.delete(next)
      this.gaps.set(next, 'damaged')
    }
    return { lsn: next, boot, seq, payload: null, events: 0, gap: this.gaps.get(next) ?? 'damaged' }
  }

  /**
   * The edge holds every lsn up to `lsn`. Recorded at once (a restart never hands these out
   * again); made durable, and their space freed, by the next sync.
   */
  acknowledge(lsn: number): void {
    const through = Math.min(lsn, this.state.lsn)
    if (through <= this.ackLsn) return
    for (let l = this.ackLsn + 1; l <= through; l++) {
      this.gaps.delete(l)
      this.index.delete(l)
    }
    this.ackLsn = through
    this.ackLog.append(through)
  }

  stats(): SpoolStats {
    return {
      bytes: this.totalBytes(),
      maxBytes: this.options.maxBytes,
      depth: this.state.lsn - this.ackLsn,
      pending: this.nextLsn - 1 - this.state.lsn,
      ack: this.ackLsn,
      committed: this.state.lsn,
      droppedRecords: this.state.droppedRecords,
      droppedEvents: this.state.droppedEvents,
      damaged: this.damaged,
    }
  }

  /** Syncs and closes the files; the spool must not be used afterwards. */
  close(): void {
    this.sync()
    for (const chain of this.chains.values()) {
      for (const segment of chain) {
        if (segment.fd !== undefined) closeSync(segment.fd)
        segment.fd = undefined
      }
    }
    this.ackLog.close()
    this.unlock()
  }

  private recover(): void {
    const found = recoverSegments(this.dir, this.state.lsn, this.ackLsn, this.report)
    for (const segment of found.segments) this.chain(segment.cls).push(segment)
    for (const [lsn, at] of found.index) this.index.set(lsn, at)
    for (const [lsn, why] of found.gaps) this.gaps.set(lsn, why)
    this.damaged += found.damaged
  }

  /**
   * The runs that own unacknowledged lsns. Should boots.json be lost, those batches go out under
   * a stand-in boot: the edge cannot recognise the ones it already holds, so it may get them
   * twice; that is said, not hidden.
   */
  private recoverBoots(boot: string): Boot[] {
    const boots = pruneBoots(readBoots(this.dir), this.ackLsn)
    const first = boots[0]
    if (this.state.lsn > this.ackLsn && (!first || first.firstLsn > this.ackLsn + 1)) {
      this.damaged++
      this.report({
        kind: 'damage',
        file: join(this.dir, 'boots.json'),
        offset: 0,
        bytes: 0,
        reason: `no boot owns lsn ${this.ackLsn + 1} and later: they go out under a stand-in boot, and the edge may get some twice`,
      })
      boots.unshift({ boot: `${boot}-recovered`, firstLsn: this.ackLsn + 1 })
    }
    return boots
  }

  /** Makes the ack cursor durable; true when it moved. Segments are only freed after this. */
  private persistAck(): boolean {
    if (this.ackLsn <= this.persistedAck) return false
    writeAck(this.dir, this.ackLsn)
    this.ackLog.clear()
    this.persistedAck = this.ackLsn
    return true
  }

  private chain(cls: SpoolClass): Segment[] {
    let chain = this.chains.get(cls)
    if (!chain) {
      chain = []
      this.chains.set(cls, chain)
    }
    return chain
  }

  private activeSegment(cls: SpoolClass, lsn: number, size: number): Segment {
    const chain = this.chain(cls)
    const tail = chain[chain.length - 1]
    if (
      tail?.fd !== undefined &&
      (tail.bytes === 0 || tail.bytes + size <= this.options.segmentBytes)
    ) {
      return tail
    }
    if (tail?.fd !== undefined) {
      if (tail.dirty) fsyncSync(tail.fd)
      tail.dirty = false
      closeSync(tail.fd)
      tail.fd = undefined
    }
    const segment = createSegment(this.dir, cls, lsn)
    this.dirDirty = true
    chain.push(segment)
    return segment
  }

  /** Overflow policy: delete the oldest segment of the cheapest class until `size` fits. */
  private makeRoom(size: number): void {
    while (this.totalBytes() + size > this.options.maxBytes) {
      const victim = this.oldestDroppable()
      if (!victim) {
        if (!this.overCap) {
          this.report({
            kind: 'over-cap',
            bytes: this.totalBytes() + size,
            maxBytes: this.options.maxBytes,
          })
        }
        this.overCap = true
        return
      }
      let records = 0
      let events = 0
      for (const lsn of victim.lsns) {
        const at = this.index.get(lsn)
        if (!at || lsn <= this.ackLsn) continue
        records++
        events += at.events
        this.index.delete(lsn)
        this.gaps.set(lsn, 'dropped')
      }
      this.removeSegment(victim)
      this.state = {
        ...this.state,
        droppedRecords: this.state.droppedRecords + records,
        droppedEvents: this.state.droppedEvents + events,
      }
      this.report({ kind: 'dropped', cls: victim.cls, file: victim.path, records, events })
    }
    this.overCap = false
  }

  private oldestDroppable(): Segment | undefined {
    for (const cls of DROP_ORDER) {
      const chain = this.chain(cls)
      if (chain.length > 0 && (chain[0] as Segment).bytes > 0) return chain[0]
    }
    return undefined
  }

  private deleteAcknowledged(): void {
    for (const chain of this.chains.values()) {
      for (const segment of [...chain]) {
        // lsns grow within a segment, so its last one tells whether any is unacknowledged
        const last = segment.lsns[segment.lsns.length - 1]
        if (last !== undefined && last > this.ackLsn) continue
        // An active segment past its ack is deleted too; the next append opens a new one.
        this.removeSegment(segment)
      }
    }
  }

  private removeSegment(segment: Segment): void {
    if (segment.fd !== undefined) closeSync(segment.fd)
    segment.fd = undefined
    unlinkSync(segment.path)
    this.dirDirty = true
    const chain = this.chain(segment.cls)
    chain.splice(chain.indexOf(segment), 1)
  }

  private totalBytes(): number {
    let total = 0
    for (const chain of this.chains.values()) for (const s of chain) total += s.bytes
    return total
  }
}

function samePosition(a: SourcePosition | null, b: SourcePosition | null): boolean {
  if (a === null || b === null) return a === b
  if (a.offset !== b.offset || a.source !== b.source) return false
  const [x, y] = [a.capture, b.capture]
  if (x === undefined || y === undefined) return x === y
  return (
    x.readFrom === y.readFrom &&
    x.timeUs === y.timeUs &&
    x.emitSkip === y.emitSkip &&
    JSON.stringify(x.torn) === JSON.stringify(y.torn)
  )
}
