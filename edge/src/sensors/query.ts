/** Reading sensors (the fleet), always through the principal's tenant scope. */
import { and, asc, eq } from 'drizzle-orm'
import { type Principal, tenantScope } from '../auth/principal.ts'
import type { Database } from '../db/client.ts'
import { sensors, tenants } from '../db/schema.ts'
import { isOutdated } from './version.ts'

export type SensorView = {
  id: string
  name: string
  tenantId: string
  tenantName: string
  status: 'pending' | 'online' | 'offline'
  lastSeenAt: number | null
  agentVersion: string | null
  packVersion: string | null
  outdated: boolean
  health: Record<string, unknown> | null
}

export async function listSensors(
  db: Database,
  principal: Principal,
  latestAgent: string | undefined,
  id?: string,
): Promise<SensorView[]> {
  const rows = await db
    .select({
      id: sensors.id,
      name: sensors.name,
      tenantId: sensors.tenantId,
      tenantName: tenants.name,
      status: sensors.status,
      lastSeenAt: sensors.lastSeenAt,
      health: sensors.health,
    })
    .from(sensors)
    .innerJoin(tenants, eq(tenants.id, sensors.tenantId))
    .where(
      and(
        tenantScope(db, principal, sensors.tenantId),
        id === undefined ? undefined : eq(sensors.id, id),
      ),
    )
    .orderBy(asc(tenants.name), asc(sensors.name))
  return rows.map((r) => {
    const agentVersion = typeof r.health?.agent_version === 'string' ? r.health.agent_version : null
    const packVersion = typeof r.health?.pack_version === 'string' ? r.health.pack_version : null
    return {
      ...r,
      agentVersion,
      packVersion,
      outdated: r.status !== 'pending' && isOutdated(agentVersion ?? undefined, latestAgent),
    }
  })
}
