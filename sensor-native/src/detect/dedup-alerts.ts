/**
 * The default policy's dedup, as the edge applies it (alerts are unique per tenant and key): the
 * same finding is reported once, with how often it was seen and when it was last seen.
 */
import type { Alert } from '@socbox/dsl/runtime'

export type DedupedAlert = Alert & { count: number; lastTs: number }

export function dedupAlerts(alerts: Iterable<Alert>): DedupedAlert[] {
  const byKey = new Map<string, DedupedAlert>()
  for (const alert of alerts) {
    const known = byKey.get(alert.key)
    if (known === undefined) byKey.set(alert.key, { ...alert, count: 1, lastTs: alert.ts })
    else {
      known.count++
      if (alert.ts > known.lastTs) known.lastTs = alert.ts
      if (alert.ts < known.ts) known.ts = alert.ts
    }
  }
  return [...byKey.values()].sort((a, b) => a.ts - b.ts)
}
