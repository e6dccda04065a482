/**
 * Who is asking, and which tenants they may see. Customers see their own tenant, a partner
 * admin sees the tenants of its partner, the provider's analysts see every tenant.
 */
import { eq, inArray, type SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { Database } from '../db/client.ts'
import { type Locale, type Role, tenants } from '../db/schema.ts'

export type Principal = {
  userId: string
  email: string
  displayName: string
  role: Role
  locale: Locale
  tenantId: string | null
  partnerId: string | null
}

export type UserRow = {
  id: string
  email: string
  displayName: string
  role: Role
  locale: Locale
  tenantId: string | null
  partnerId: string | null
}

export function principalOf(user: UserRow): Principal {
  return {
    userId: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    locale: user.locale,
    tenantId: user.tenantId,
    partnerId: user.partnerId,
  }
}

/** Roles that may change alerts (acknowledge, close). Viewers only read. */
export function canTriage(principal: Principal): boolean {
  return principal.role !== 'customer_viewer'
}

/** Whether tenant and partner names are worth showing (the principal sees several tenants). */
export function seesManyTenants(principal: Principal): boolean {
  return principal.role === 'provider_analyst' || principal.role === 'partner_admin'
}

/**
 * The condition that restricts `column` (a tenant_id column) to what the principal may see.
 * Returns `undefined` only for the provider, whose scope is everything; a principal whose row is
 * inconsistent gets a condition that matches nothing (fail closed).
 */
export function tenantScope(
  db: Database,
  principal: Principal,
  column: SQLiteColumn,
): SQL | undefined {
  switch (principal.role) {
    case 'provider_analyst':
      return undefined
    case 'partner_admin':
      return inArray(
        column,
        db
          .select({ id: tenants.id })
          .from(tenants)
          .where(eq(tenants.partnerId, principal.partnerId ?? '')),
      )
    case 'customer_admin':
    case 'customer_viewer':
      return eq(column, principal.tenantId ?? '')
  }
}
