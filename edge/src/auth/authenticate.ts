/**
 * Resolves the principal from a session cookie or an `Authorization: Bearer sbt1.…` API token.
 * `onMissing` decides what an unauthenticated request gets: the API answers 401 JSON, the portal
 * redirects to the login page.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv } from '../env.ts'
import { findApiTokenPrincipal } from './api-token.ts'
import { findSession, readSessionCookie } from './session.ts'

type Options = { allowApiToken: boolean; onMissing: (c: Context<AppEnv>) => Response }

export function authenticate(options: Options): MiddlewareHandler<AppEnv> {
  return async function authenticateRequest(c, next) {
    const db = c.get('db')
    const header = c.req.header('Authorization')
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header)
      const principal =
        options.allowApiToken && match?.[1] ? await findApiTokenPrincipal(db, match[1]) : null
      // A presented but invalid credential is an error, never a fallback to the cookie.
      if (!principal) {
        throw new HTTPException(401, {
          message: 'invalid or unsupported Authorization credential',
        })
      }
      c.set('principal', principal)
      c.set('authMethod', 'api_token')
      return next()
    }
    const token = readSessionCookie(c)
    const session = token ? await findSession(db, token) : null
    if (!session) return options.onMissing(c)
    c.set('principal', session.principal)
    c.set('authMethod', 'session')
    c.set('csrfToken', session.csrfToken)
    return next()
  }
}

export function unauthorizedJson(c: Context<AppEnv>): Response {
  return c.json({ error: 'authentication required' }, 401)
}
