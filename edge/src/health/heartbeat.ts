/**
 * The heartbeat a sensor posts every few seconds (`POST /v1/heartbeat`, JSON):
 *
 *   agent_version  string   the agent's version (required)
 *   pack_version   string   version of the rule pack it runs
 *   uptime_s       number   seconds since the agent started
 *   pps, bps       number   packets and bits per second over the last interval
 *   packets        number   packets seen in the last interval
 *   drops_kernel   number   packets dropped by the kernel/capture in the last interval
 *   drops_app      number   packets dropped by the agent in the last interval
 *   app_state_dropped  number  sensor application state not kept (per-connection caps) in the
 *                              last interval: connections seen partially, no packet lost
 *   encrypted_skipped  number  SMB3 encrypted/compressed messages skipped in the last interval
 *   cpu            number   CPU use of the agent, percent of one core
 *   rss_bytes      number   resident memory
 *   spool_bytes    number   bytes waiting in the spool
 *   endpoints_24h  number   distinct internal hosts seen in the last 24 hours
 *   endpoints_30d  number   distinct internal hosts seen in the last 30 days
 *
 * Unknown fields are ignored; numbers must be finite and non-negative.
 */
import { HTTPException } from 'hono/http-exception'

const numberFields = [
  'uptime_s',
  'pps',
  'bps',
  'packets',
  'drops_kernel',
  'drops_app',
  'app_state_dropped',
  'encrypted_skipped',
  'cpu',
  'rss_bytes',
  'spool_bytes',
  'endpoints_24h',
  'endpoints_30d',
] as const

export type Heartbeat = {
  agent_version: string
  pack_version?: string
} & Partial<Record<(typeof numberFields)[number], number>>

function bad(message: string): never {
  throw new HTTPException(400, { message: `heartbeat: ${message}` })
}

export function parseHeartbeat(body: unknown): Heartbeat {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) bad('expected an object')
  const input = body as Record<string, unknown>
  const version = input.agent_version
  if (typeof version !== 'string' || !/^[\w.+-]{1,64}$/.test(version)) {
    bad('agent_version must be a version string')
  }
  const heartbeat: Heartbeat = { agent_version: version }
  if (input.pack_version !== undefined) {
    if (typeof input.pack_version !== 'string' || input.pack_version.length > 128) {
      bad('pack_version must be a string')
    }
    heartbeat.pack_version = input.pack_version
  }
  for (const field of numberFields) {
    const value = input[field]
    if (value === undefined) continue
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      bad(`${field} must be a non-negative number`)
    }
    heartbeat[field] = value
  }
  return heartbeat
}

/** Fraction of packets lost in the interval, or undefined when the sensor saw too few to tell. */
export function dropRate(h: Heartbeat, minPackets = 1000): number | undefined {
  const dropped = (h.drops_kernel ?? 0) + (h.drops_app ?? 0)
  const total = (h.packets ?? 0) + dropped
  return total >= minPackets ? dropped / total : undefined
}
