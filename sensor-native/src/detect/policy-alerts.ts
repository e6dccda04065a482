/**
 * The pack's default alert policy (rules/policies/default.soc) over one capture's alerts, as the
 * edge applies it: final severity, exceptions, dedup windows (repeats counted on the alert they
 * repeat), rate limits (their digests printed as alerts). A pack without a policy falls back to
 * plain dedup by key.
 */
import { type Alert, defaultPolicyOf, type RulePack } from '@socbox/dsl/runtime'
import { type DedupedAlert, dedupAlerts } from './dedup-alerts.ts'

const CONTEXT = { tenant: 'offline', sensor: 'detect' }

export function policyAlerts(pack: RulePack, alerts: Alert[]): DedupedAlert[] {
  const policy = defaultPolicyOf(pack)
  if (policy === undefined) return dedupAlerts(alerts)
  const applied = policy.apply(alerts, CONTEXT, undefined)
  const ended = policy.flush(CONTEXT, applied.state)
  const byKey = new Map<string, DedupedAlert>()
  for (const { alert, storeKey } of applied.store)
    byKey.set(storeKey, { ...alert, count: 1, lastTs: alert.ts })
  for (const { alert, reason, name } of applied.suppressed) {
    const repeated = reason === 'dedup' && name !== undefined ? byKey.get(name) : undefined
    if (repeated === undefined) continue
    repeated.count++
    if (alert.ts > repeated.lastTs) repeated.lastTs = alert.ts
  }
  for (const { alert, storeKey } of [...applied.digests, ...ended.digests])
    byKey.set(storeKey, { ...alert, count: alert.digest?.count ?? 1, lastTs: alert.ts })
  return [...byKey.values()].sort((a, b) => a.ts - b.ts)
}
