/** Sends requests through the whole Worker app with the test bindings, as workerd would. */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { app } from '../src/app.ts'

export const ORIGIN = 'https://socbox.test'

export async function call(path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext()
  const res = await app.request(`${ORIGIN}${path}`, init, env, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

export type IngestOptions = {
  token: string
  boot?: string
  seq?: number
  headers?: Record<string, string>
}

export function ingest(body: BodyInit, options: IngestOptions): Promise<Response> {
  return call('/v1/ingest', {
    method: 'POST',
    body,
    headers: {
      Authorization: `Bearer ${options.token}`,
      'Content-Type': 'application/json',
      'Content-Encoding': 'gzip',
      'X-Socbox-Boot': options.boot ?? 'boot-1',
      'X-Socbox-Seq': String(options.seq ?? 0),
      ...options.headers,
    },
  })
}

export function heartbeat(health: unknown, options: IngestOptions): Promise<Response> {
  return call('/v1/heartbeat', {
    method: 'POST',
    body: JSON.stringify(health),
    headers: {
      Authorization: `Bearer ${options.token}`,
      'Content-Type': 'application/json',
      'X-Socbox-Boot': options.boot ?? 'boot-1',
      'X-Socbox-Seq': String(options.seq ?? 0),
      ...options.headers,
    },
  })
}
