/** API tokens (`sbt1.<id>.<secret>`): look up by id, compare SHA-256 of the secret. */
import { and, eq, isNull } from 'drizzle-orm'
import { API_TOKEN_PREFIX, parseCredential } from '../crypto/credential.ts'
import { sha256Hex, timingSafeEqual } from '../crypto/digest.ts'
import type { Database } from '../db/client.ts'
import { apiTokens, users } from '../db/schema.ts'
import { type Principal, principalOf } from './principal.ts'

export async function findApiTokenPrincipal(
  db: Database,
  token: string,
  now = Date.now(),
): Promise<Principal | null> {
  const credential = parseCredential(API_TOKEN_PREFIX, token)
  if (!credential) return null
  const row = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(
      and(eq(apiTokens.id, credential.id), isNull(apiTokens.revokedAt), isNull(users.disabledAt)),
    )
    .get()
  if (!row) return null
  if (row.token.expiresAt !== null && row.token.expiresAt <= now) return null
  if (!timingSafeEqual(await sha256Hex(credential.secret), row.token.tokenHash)) return null
  await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, credential.id))
  return principalOf(row.user)
}
