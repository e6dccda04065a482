/**
 * When to try a failed delivery again: exponential backoff with full jitter (so a fleet that lost
 * the edge at the same moment does not come back in lockstep), and the server's own
 * `Retry-After` when it sends one.
 */
export type BackoffPolicy = { baseMs: number; capMs: number; maxAttempts: number }

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 30_000, maxAttempts: 10 }

/** Delay before attempt `attempt + 1` (attempt counts from 1), with `random` in [0, 1). */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random = Math.random(),
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1))
  return Math.floor(random * ceiling)
}

/**
 * `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms to wait,
 * or undefined when the header is absent or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (header === null || header.trim() === '') return undefined
  const trimmed = header.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}
