/**
 * A tenant's site variable values (`$domain_controllers`, `$allowed_admin_hosts`, …): reading
 * them beside the declarations of the current rule pack, and saving them on behalf of a
 * principal. Same roles and scope as the monitoring settings (settings-store.ts): customer admins
 * edit their own tenant, partner admins their customers, everyone else reads; another tenant is
 * "not found". Every change is audit-logged with the values before and after.
 *
 * The rows live in `tenant_site_settings` (edge/src/policy/tables.ts), which the ingest path
 * reads for the rules and the alert policy; after a save each of the tenant's SensorHubs is told
 * to read them again, so the next batch already uses them (without that, within
 * SITE_SETTINGS_TTL_MS).
 */
import type { VariableIR } from '@socbox/dsl/runtime'
import { eq } from 'drizzle-orm'
import { HTTPException } from 'hono/http-exception'
import { auditInsert } from '../audit/record.ts'
import type { Principal } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { sensors } from '../db/schema.ts'
import type { Env } from '../env.ts'
import { defaultPack } from '../ingest/engine.ts'
import { tenantSiteSettings } from '../policy/tables.ts'
import { canEditSettings, tenantSettings } from './settings-store.ts'
import type { SiteValue } from './validate-site-settings.ts'

/** One declared variable as people see it: what it is, its default and the tenant's value. */
export type SiteVariableView = {
  name: string
  type: VariableIR['type']
  doc: { en: string; ja: string }
  default: SiteValue
  /** What the rules use for this tenant: its own value, or the default. */
  value: SiteValue
  overridden: boolean
  /** The rules (ids) and policies (`policy <id>`) of the pack that read it. */
  usedBy: string[]
}

export type TenantSiteSettings = {
  tenant: { id: string; name: string }
  /** The rule pack whose declarations these are. */
  pack: string
  variables: SiteVariableView[]
  /** Stored values of variables the pack no longer declares (ignored by the rules). */
  undeclared: string[]
  updatedAt: number | null
}

/** The site variables the tenant's pack declares (tenant packs add lists, never variables). */
export function declaredVariables(): readonly VariableIR[] {
  return defaultPack.variables ?? []
}

let users: Map<string, string[]> | undefined

/** Which rules and policies read each variable (`{"var": name}` in their IR), once per isolate. */
function usersOf(name: string): string[] {
  if (users === undefined) {
    users = new Map()
    const owners = [
      ...defaultPack.rules.map((r) => ({ id: r.id, ir: r as unknown })),
      ...(defaultPack.policies ?? []).map((p) => ({ id: `policy ${p.id}`, ir: p as unknown })),
    ]
    for (const { id, ir } of owners) {
      for (const match of JSON.stringify(ir).matchAll(/"var":"([a-z][a-z0-9_]*)"/g)) {
        const list = users.get(match[1] as string) ?? []
        if (!list.includes(id)) list.push(id)
        users.set(match[1] as string, list)
      }
    }
  }
  return users.get(name) ?? []
}

async function storedOverrides(
  db: Database,
  tenantId: string,
): Promise<{ values: Record<string, SiteValue>; updatedAt: number | null }> {
  const row = await db
    .select()
    .from(tenantSiteSettings)
    .where(eq(tenantSiteSettings.tenantId, tenantId))
    .get()
  if (!row) return { values: {}, updatedAt: null }
  try {
    const parsed: unknown = JSON.parse(row.settings)
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return { values: parsed as Record<string, SiteValue>, updatedAt: row.updatedAt }
  } catch {
    // Unreadable: the ingest path uses the defaults then (policy-memory.ts), so show those.
  }
  return { values: {}, updatedAt: row.updatedAt }
}

function viewOf(
  tenant: { id: string; name: string },
  stored: { values: Record<string, SiteValue>; updatedAt: number | null },
): TenantSiteSettings {
  const variables = declaredVariables()
  const names = new Set(variables.map((v) => v.name))
  return {
    tenant,
    pack: defaultPack.version,
    variables: variables.map((v) => {
      const own = Object.hasOwn(stored.values, v.name) ? stored.values[v.name] : undefined
      return {
        name: v.name,
        type: v.type,
        doc: v.doc,
        default: v.default,
        value: own ?? v.default,
        overridden: own !== undefined,
        usedBy: usersOf(v.name),
      }
    }),
    undeclared: Object.keys(stored.values).filter((n) => !names.has(n)),
    updatedAt: stored.updatedAt,
  }
}

/** The tenant's site settings; 404 outside the principal's scope. */
export async function tenantSiteSettingsFor(
  db: Database,
  principal: Principal,
  tenantId: string,
): Promise<TenantSiteSettings> {
  const tenant = await tenantSettings(db, principal, tenantId)
  return viewOf({ id: tenant.id, name: tenant.name }, await storedOverrides(db, tenant.id))
}

/**
 * Replaces the tenant's overrides with `overrides` (validated by validateSiteSettings: only
 * values that differ from the defaults). 404 outside the scope, 403 for read-only roles.
 */
export async function saveTenantSiteSettings(
  db: Database,
  principal: Principal,
  tenantId: string,
  overrides: Record<string, SiteValue>,
  ip: string | null,
  now = Date.now(),
): Promise<TenantSiteSettings> {
  const tenant = await tenantSettings(db, principal, tenantId)
  if (!canEditSettings(principal)) {
    throw new HTTPException(403, {
      message: 'your role can read these settings but not change them; ask a customer admin',
    })
  }
  const before = await storedOverrides(db, tenant.id)
  const settings = JSON.stringify(overrides)
  const write =
    Object.keys(overrides).length === 0
      ? db.delete(tenantSiteSettings).where(eq(tenantSiteSettings.tenantId, tenant.id))
      : db
          .insert(tenantSiteSettings)
          .values({ tenantId: tenant.id, settings, updatedAt: now })
          .onConflictDoUpdate({
            target: tenantSiteSettings.tenantId,
            set: { settings, updatedAt: now },
          })
  await db.batch([
    write,
    auditInsert(
      db,
      {
        action: 'tenant.site_settings',
        actorUserId: principal.userId,
        tenantId: tenant.id,
        target: `tenant:${tenant.id}`,
        detail: { before: before.values, after: overrides, pack: defaultPack.version },
        ip,
      },
      now,
    ),
  ])
  return viewOf(
    { id: tenant.id, name: tenant.name },
    { values: overrides, updatedAt: Object.keys(overrides).length ? now : null },
  )
}

/**
 * Tells the SensorHub of each of the tenant's sensors to read the site settings again before its
 * next batch. A hub that cannot be reached reads them within SITE_SETTINGS_TTL_MS anyway, so a
 * failure is logged, not raised: the settings are saved either way.
 */
export async function announceSiteSettings(
  env: Pick<Env, 'SENSOR_HUB'>,
  db: Database,
  tenantId: string,
): Promise<number> {
  const rows = await db
    .select({ id: sensors.id })
    .from(sensors)
    .where(eq(sensors.tenantId, tenantId))
  const results = await Promise.allSettled(
    rows.map((s) => env.SENSOR_HUB.get(env.SENSOR_HUB.idFromName(s.id)).reloadSiteSettings()),
  )
  let told = 0
  for (const [i, result] of results.entries()) {
    if (result.status === 'fulfilled') told++
    else console.warn(`sensor ${rows[i]?.id}: site settings reload not delivered`, result.reason)
  }
  return told
}
