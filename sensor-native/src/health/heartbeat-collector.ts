/**
 * Builds one heartbeat from the agent's cumulative figures (packets and bytes read, events
 * dropped by the spool) by taking differences since the previous heartbeat.
 */
import type { EndpointCounts } from './endpoint-counter.ts'
import type { HeartbeatFields } from './heartbeat-fields.ts'
import { UsageMeter } from './usage-meter.ts'

/** What the agent knows at one moment; counters are totals since it started. */
export type AgentFigures = {
  packets: number
  bytes: number
  droppedEvents: number
  /** Packets lost below the agent (kernel, capture ring); 0 for files. */
  kernelDrops: number
  /** Sensor totals: application state not kept (per-connection caps), encrypted SMB skipped. */
  appDropped: number
  encrypted: number
  spoolBytes: number
  spoolDepth: number
  endpoints: EndpointCounts
  packVersion: string | undefined
}

type Totals = {
  at: number
  packets: number
  bytes: number
  dropped: number
  kernel: number
  appDropped: number
  encrypted: number
}

export class HeartbeatCollector {
  private readonly version: string
  private readonly startedAt: number
  private readonly usage = new UsageMeter()
  private last: Totals

  constructor(version: string, now = Date.now()) {
    this.version = version
    this.startedAt = now
    this.last = {
      at: now,
      packets: 0,
      bytes: 0,
      dropped: 0,
      kernel: 0,
      appDropped: 0,
      encrypted: 0,
    }
  }

  collect(f: AgentFigures, now = Date.now()): HeartbeatFields {
    const seconds = Math.max((now - this.last.at) / 1000, 0.001)
    // A source that starts over (a new file) lowers its totals: count from zero then.
    const delta = (total: number, before: number) => Math.max(total - before, 0)
    const packets = delta(f.packets, this.last.packets)
    const bytes = delta(f.bytes, this.last.bytes)
    const usage = this.usage.sample()
    const fields: HeartbeatFields = {
      agent_version: this.version,
      ...(f.packVersion !== undefined ? { pack_version: f.packVersion } : {}),
      uptime_s: Math.round((now - this.startedAt) / 1000),
      pps: Math.round(packets / seconds),
      bps: Math.round((bytes * 8) / seconds),
      packets,
      drops_kernel: delta(f.kernelDrops, this.last.kernel),
      drops_app: delta(f.droppedEvents, this.last.dropped),
      app_state_dropped: delta(f.appDropped, this.last.appDropped),
      encrypted_skipped: delta(f.encrypted, this.last.encrypted),
      cpu: usage.cpu,
      rss_bytes: usage.rssBytes,
      spool_bytes: f.spoolBytes,
      spool_depth: f.spoolDepth,
      endpoints_24h: f.endpoints.last24h,
      endpoints_30d: f.endpoints.last30d,
    }
    this.last = {
      at: now,
      packets: f.packets,
      bytes: f.bytes,
      dropped: f.droppedEvents,
      kernel: f.kernelDrops,
      appDropped: f.appDropped,
      encrypted: f.encrypted,
    }
    return fields
  }
}
