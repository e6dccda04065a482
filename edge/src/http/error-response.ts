/**
 * The one error boundary of the Worker. Handlers throw hono's HTTPException with a message
 * meant for the caller; this turns it (or any unexpected error) into the response. Machine
 * routes (`/v1/…`, `/api/…`) get JSON `{error}`; portal pages get a short plain page.
 * Unexpected errors are logged and answered 500 without internals.
 */
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../env.ts'

function wantsJson(path: string): boolean {
  return path.startsWith('/v1/') || path.startsWith('/api/') || path === '/healthz'
}

const defaultMessages: Record<number, string> = {
  400: 'bad request',
  401: 'authentication required',
  403: 'forbidden: cross-origin form posts are refused',
  404: 'not found',
  413: 'payload too large',
}

export function errorResponse(err: Error, c: Context<AppEnv>): Response {
  const status = err instanceof HTTPException ? err.status : 500
  if (!(err instanceof HTTPException)) console.error('unhandled error', err)
  // Middleware such as hono's csrf() throws with a ready response and no message.
  const message =
    err instanceof HTTPException
      ? err.message || defaultMessages[status] || 'error'
      : 'internal error'
  const headers = err instanceof HTTPException ? err.getResponse().headers : undefined
  if (wantsJson(c.req.path)) {
    const res = c.json({ error: message }, status)
    headers?.forEach((value, key) => {
      if (key.toLowerCase() !== 'content-type') res.headers.set(key, value)
    })
    return res
  }
  return c.text(message, status)
}
