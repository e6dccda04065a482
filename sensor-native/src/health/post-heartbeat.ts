/**
 * Posts one heartbeat to the edge's `/v1/heartbeat`, authenticated and signed exactly like an
 * ingest batch (batch-signature.ts): the heartbeats of a boot are numbered by `X-Socbox-Seq`, so
 * the edge can tell a replayed one. No retries: the next heartbeat carries fresher figures.
 * The outcome is data, since the agent goes on either way.
 */
import { sensorRequestHeaders, signerForToken } from '../agent/batch-signature.ts'
import type { HeartbeatFields } from './heartbeat-fields.ts'

export type HeartbeatTarget = { edge: string; token: string }
export type HeartbeatOutcome =
  | { ok: true; status: string; alerts: number }
  | { ok: false; status?: number; reason: string }

export async function postHeartbeat(
  target: HeartbeatTarget,
  meta: { boot: string; seq: number },
  fields: HeartbeatFields,
  doFetch: typeof fetch = fetch,
): Promise<HeartbeatOutcome> {
  const url = new URL('/v1/heartbeat', target.edge)
  const body = Buffer.from(JSON.stringify(fields))
  const signer = signerForToken(target.token)
  try {
    const res = await doFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...sensorRequestHeaders(target.token, signer, meta, body, Date.now()),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    })
    const text = await res.text()
    if (!res.ok) {
      return {
        ok: false,
        status: res.status,
        reason: `edge answered ${res.status}: ${errorOf(text)}`,
      }
    }
    const reply = JSON.parse(text) as { status?: unknown; alerts?: unknown }
    return {
      ok: true,
      status: String(reply.status ?? 'accepted'),
      alerts: typeof reply.alerts === 'number' ? reply.alerts : 0,
    }
  } catch (err) {
    return {
      ok: false,
      reason: `cannot reach the edge at ${url.origin}: ${(err as Error).message}`,
    }
  }
}

function errorOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown }
    if (typeof parsed.error === 'string') return parsed.error
  } catch {}
  return text.slice(0, 200)
}
