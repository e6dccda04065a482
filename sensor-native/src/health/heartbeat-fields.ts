/**
 * The heartbeat body as the edge reads it (edge/src/health/heartbeat.ts). Rates and drops are
 * over the interval since the previous heartbeat. `drops_kernel` is 0 for capture files (nothing
 * is lost below the agent when reading a file); `drops_app` counts events the spool dropped for
 * space (its overflow policy), the only place where the agent itself drops anything.
 * `app_state_dropped` counts application state the sensor did not keep because a per-connection
 * cap was reached (those connections are seen partially, no packet is lost) and
 * `encrypted_skipped` SMB3 encrypted or compressed messages it could not read.
 */
export type HeartbeatFields = {
  agent_version: string
  pack_version?: string
  uptime_s: number
  pps: number
  bps: number
  packets: number
  drops_kernel: number
  drops_app: number
  app_state_dropped: number
  encrypted_skipped: number
  cpu: number
  rss_bytes: number
  spool_bytes: number
  spool_depth: number
  endpoints_24h: number
  endpoints_30d: number
}
