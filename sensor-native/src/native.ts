/**
 * The Rust addon, loaded once. Its shapes are declared here rather than imported from the
 * generated `native/index.d.ts`, so that TS code type-checks even before the first native build;
 * a test checks that the built addon really exposes them.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

export type SourceOptions = {
  homeNets?: string[]
  plan?: string
  /**
   * A file holding the match plan: a rule pack (its `plan`) or a bare plan v1. Read and checked by
   * the sensor (open throws naming the file when it is neither); `plan` wins when both are given.
   */
  planFile?: string
  /** A record boundary from `stats().offset` or `stats().resumeOffset` of the same file. */
  startOffset?: number
  /** Exactly-once restart: `resumePoint()` of an earlier source over the same file. */
  resume?: ResumePoint
  /** Raw payload bytes content signatures inspect per flow direction (default 16384). */
  payloadCap?: number
  /** HTTP body bytes inspected per body (default 1048576). */
  bodyCap?: number
}
/**
 * Where a capture source stopped: a restart re-reads from `readFrom` only to rebuild the flows
 * that were open (packets older than `timeUs` skipped) and hands out events from `emitFrom` on,
 * less the first `emitSkip` there and the tails of `torn` flows (community id, last packet µs).
 */
export type ResumePoint = {
  readFrom: number
  timeUs?: number
  emitFrom: number
  emitSkip: number
  torn: { flow: string; lastUs: number }[]
}
export type SourceStats = {
  packets: number
  bytes: number
  malformed: number
  events: number
  offset: number
  size: number
  /**
   * Where to start again after a restart without losing events (the oldest packet whose events
   * are not all out yet). Absent for sources whose `offset` already is that (events files).
   */
  resumeOffset?: number
  /** Events of the packets before it were all handed out (captures; see `resumePoint()`). */
  emitOffset?: number
  /** Live sources: packets the kernel dropped because the sensor fell behind. */
  kernelDrops?: number
  linktype: string
  /** Content signatures of the plan in force, loaded and refused (captures only). */
  signatures?: number
  signaturesRefused?: number
  /** Inspection caps: raw payload bytes per flow direction, HTTP body bytes (captures only). */
  payloadCap?: number
  bodyCap?: number
  /**
   * Application state not kept because a per-connection cap was reached (SMB requests, trees,
   * opens and files hashed at once; Kerberos requests waiting), and SMB3 encrypted or compressed
   * messages skipped unread (native sources only).
   */
  appDropped?: number
  encrypted?: number
}
export interface FileSource {
  nextBatch(maxEvents: number): Buffer | null
  /**
   * Hands up to `maxEvents` events, as NDJSON lines, to a writer thread of the addon that writes
   * them to `fd` while the next call decodes; returns their number. The lines are all on `fd`
   * once a call returned 0 (the end) or threw (a failed write throws from the next call).
   */
  pumpNdjson(fd: number, maxEvents: number): number
  stats(): SourceStats
  /** Swaps the match plan between batches; throws on a bad plan and keeps the old one. */
  setPlan(planJson: string): void
  /** Where to restart so that exactly the events not handed out yet come out. */
  resumePoint(): ResumePoint
  /** JSON `{loaded, unanchored, refused: {reason: count}}` of the plan's content signatures. */
  contentReport(): string
}
export type LiveOptions = {
  homeNets?: string[]
  plan?: string
  /** BPF filter expression (tcpdump syntax); needs libpcap at run time. */
  filter?: string
  /** Ring size in MiB (default 64). */
  ringMib?: number
}
export type LiveStats = {
  packets: number
  bytes: number
  malformed: number
  events: number
  /** Packets the kernel passed the filter, and those it dropped because the ring was full. */
  kernelPackets: number
  kernelDrops: number
  linktype: string
  appDropped: number
  encrypted: number
}
/** An interface read live (AF_PACKET ring; root or CAP_NET_RAW). Never blocks. */
export interface LiveSource {
  /** What has arrived (`"n":0` when nothing); null once closed and drained. */
  nextBatch(maxEvents: number): Buffer | null
  wait(timeoutMs: number): boolean
  /** Ends open flows (their events come in the next batches). */
  close(): void
  setPlan(planJson: string): void
  stats(): LiveStats
}
export type NativeAddon = {
  FileSource: new (path: string, options?: SourceOptions) => FileSource
  LiveSource: new (iface: string, options?: LiveOptions) => LiveSource
}

const loaderPath = fileURLToPath(new URL('../native/index.cjs', import.meta.url))
let addon: NativeAddon | undefined

/** The addon, loaded once. */
export function native(): NativeAddon {
  if (addon) return addon
  if (!existsSync(loaderPath)) {
    throw new Error(
      `the sensor's native addon is not built (${loaderPath} is missing); run 'npm install' at the repository root, which builds it with cargo`,
    )
  }
  addon = createRequire(import.meta.url)(loaderPath) as NativeAddon
  return addon
}
