/**
 * Writing alerts. Inserts are multi-row (under D1's 100-parameter limit per statement) and
 * sent as one `batch()`, so a request costs one round trip. The unique (tenant_id, dedup_key)
 * index makes a repeated finding a no-op; RETURNING tells which rows are new.
 */
import { chunkRows, type Database } from '../db/client.ts'
import { alerts, type Bilingual, type BilingualList, type Severity } from '../db/schema.ts'

/** One alert as the rule engine (or the edge itself, for device.* alerts) produced it. */
export type NewAlert = {
  tenantId: string
  sensorId: string
  rule: string
  ruleVersion: number
  class: string
  severity: Severity
  ts: number
  src?: { ip: string; port?: number } | undefined
  dst?: { ip: string; port?: number } | undefined
  flow?: string | undefined
  key: string
  title: Bilingual
  explain: Bilingual
  actions: BilingualList
  attack: string[]
  evidence: unknown
}

/** A row the insert created; class and severity let the notify step route it by policy. */
export type StoredAlert = {
  id: number
  tenantId: string
  dedupKey?: string
  rule?: string
  class?: string
  severity?: Severity
}

function toRow(alert: NewAlert, now: number) {
  return {
    tenantId: alert.tenantId,
    sensorId: alert.sensorId,
    rule: alert.rule,
    ruleVersion: alert.ruleVersion,
    class: alert.class,
    severity: alert.severity,
    ts: alert.ts,
    srcIp: alert.src?.ip ?? null,
    srcPort: alert.src?.port ?? null,
    dstIp: alert.dst?.ip ?? null,
    dstPort: alert.dst?.port ?? null,
    flow: alert.flow ?? null,
    dedupKey: alert.key,
    title: alert.title,
    explain: alert.explain,
    actions: alert.actions,
    attack: alert.attack,
    evidence: alert.evidence ?? null,
    status: 'new' as const,
    createdAt: now,
  }
}

/**
 * The insert statements for `newAlerts`, to run inside the caller's `batch()` together with its
 * other writes. Each statement returns the rows it actually inserted (new for their tenant).
 */
export function alertInserts(db: Database, newAlerts: NewAlert[], now = Date.now()) {
  // The same key twice inside one batch would also be dropped by the index, but skipping it
  // here keeps the statement count down.
  const seen = new Set<string>()
  const rows = []
  for (const alert of newAlerts) {
    const unique = `${alert.tenantId}\u0000${alert.key}`
    if (seen.has(unique)) continue
    seen.add(unique)
    rows.push(toRow(alert, now))
  }
  return chunkRows(rows).map((chunk) =>
    db
      .insert(alerts)
      .values(chunk)
      .onConflictDoNothing({ target: [alerts.tenantId, alerts.dedupKey] })
      .returning({
        id: alerts.id,
        tenantId: alerts.tenantId,
        dedupKey: alerts.dedupKey,
        rule: alerts.rule,
        class: alerts.class,
        severity: alerts.severity,
      }),
  )
}

/** Stores the alerts that are new for their tenant in one round trip; returns those rows. */
export async function storeAlerts(
  db: Database,
  newAlerts: NewAlert[],
  now = Date.now(),
): Promise<StoredAlert[]> {
  const [first, ...rest] = alertInserts(db, newAlerts, now)
  if (!first) return []
  const results = await db.batch([first, ...rest])
  return results.flat()
}
