/**
 * The rule pack a tenant's sensors run: the bundled pack, plus the tenant's own indicator lists
 * (tenant-lists.ts) in its match plan as `tenant.<name>`. A tenant with lists gets a pack of its
 * own (its own hash, so its sensors see an ETag change and swap); every other tenant gets the
 * bundled pack. Built packs are kept per isolate, keyed by the lists' content, for a few tenants
 * at a time (each is the size of the bundled pack).
 */
import type { RulePack } from '@socbox/dsl/runtime'
import { asc, eq } from 'drizzle-orm'
import { sha256Hex } from '../crypto/digest.ts'
import type { Database } from '../db/client.ts'
import { tenantIntelLists } from '../db/schema.ts'
import { defaultPack } from '../ingest/engine.ts'

export type ServedPack = { pack: RulePack; body: string }

const CACHED_TENANTS = 8
const built = new Map<string, { key: string; served: ServedPack }>()
let bundled: ServedPack | undefined

function bundledPack(): ServedPack {
  bundled ??= { pack: defaultPack, body: JSON.stringify(defaultPack) }
  return bundled
}

export async function packFor(db: Database, tenantId: string): Promise<ServedPack> {
  const lists = await db
    .select()
    .from(tenantIntelLists)
    .where(eq(tenantIntelLists.tenantId, tenantId))
    .orderBy(asc(tenantIntelLists.name))
  if (lists.length === 0) return bundledPack()
  // By content: two changes within one millisecond must not share a cached pack.
  const key = await sha256Hex(
    `${defaultPack.hash}|${JSON.stringify(lists.map((l) => [l.name, l.ioc, l.entries]))}`,
  )
  const hit = built.get(tenantId)
  if (hit?.key === key) return hit.served
  const plan = {
    ...defaultPack.plan,
    intel: [
      ...defaultPack.plan.intel,
      ...lists.map((l) => ({ list: `tenant.${l.name}`, ioc: l.ioc, entries: l.entries })),
    ],
  }
  // The hash a sensor checks before swapping: SHA-256 of JSON.stringify({rules, plan}).
  const hash = await sha256Hex(JSON.stringify({ rules: defaultPack.rules, plan }))
  const pack: RulePack = {
    ...defaultPack,
    version: `${defaultPack.version}+tenant.${hash.slice(0, 8)}`,
    hash,
    plan,
  }
  const served = { pack, body: JSON.stringify(pack) }
  built.delete(tenantId)
  built.set(tenantId, { key, served })
  while (built.size > CACHED_TENANTS) built.delete(built.keys().next().value as string)
  return served
}
