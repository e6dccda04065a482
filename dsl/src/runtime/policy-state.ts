// The state a policy keeps between calls, as plain JSON (the edge stores it; a restart or a
// retried batch sees exactly what was committed). Bounded by the policy's limits; what had to
// be evicted is counted in `evicted`, and totals of what the policy did are kept in `totals`.

export type DedupEntry = {
  /** Tenant and dedup key. */
  key: string
  /** Event time of the alert that opened the episode; repeats until `until` are suppressed. */
  start: number
  until: number
  /** The key the episode's alert was stored under. */
  stored: string
  /** Repeats suppressed in this episode. */
  repeats: number
}

export type RateWindow = {
  /** Tenant, rate line and scope values. */
  scope: string
  line: number
  start: number
  until: number
  /** Alerts counted in the window (stored and folded). */
  count: number
  /** Folded into the digest: how many, a sample of their keys, per rule, highest severity. */
  folded: number
  keys: string[]
  rules: Record<string, number>
  classes: string[]
  severity: number
  first: number
  last: number
  tenant: string
  sensor: string
}

export type PolicyTotals = {
  stored: number
  digests: number
  dedup: number
  rate: number
  exceptions: Record<string, number>
  suppressions: Record<string, number>
  /** Alerts an expired exception would have hidden (stored instead), by exception. */
  expired: Record<string, number>
}

export type PolicyState = {
  v: 1
  /** `id@version` of the policy that wrote it; another policy starts from empty windows. */
  policy: string
  /** The newest event time seen, for expiring entries. */
  newest: number
  dedup: DedupEntry[]
  rates: RateWindow[]
  evicted: { dedup: number; rates: number }
  totals: PolicyTotals
}

export function emptyPolicyState(policy: string): PolicyState {
  return {
    v: 1,
    policy,
    newest: 0,
    dedup: [],
    rates: [],
    evicted: { dedup: 0, rates: 0 },
    totals: {
      stored: 0,
      digests: 0,
      dedup: 0,
      rate: 0,
      exceptions: {},
      suppressions: {},
      expired: {},
    },
  }
}

/**
 * Saved state back, or empty state with the reason when it is unusable (another policy, another
 * version of the format, a damaged row): windows restart, never a crash.
 */
export function restorePolicyState(
  saved: unknown,
  policy: string,
): { state: PolicyState; problem?: string } {
  const fresh = emptyPolicyState(policy)
  if (saved === undefined || saved === null) return { state: fresh }
  const s = saved as Partial<PolicyState>
  if (
    s.v !== 1 ||
    !Array.isArray(s.dedup) ||
    !Array.isArray(s.rates) ||
    typeof s.totals !== 'object'
  )
    return { state: fresh, problem: 'saved policy state is not version 1: starting empty' }
  if (s.policy !== policy)
    return {
      state: { ...fresh, totals: s.totals ?? fresh.totals },
      problem: `saved policy state belongs to ${String(s.policy)}, not ${policy}: windows start empty`,
    }
  const dedup = s.dedup.filter(
    (e): e is DedupEntry =>
      typeof e?.key === 'string' && typeof e.until === 'number' && typeof e.stored === 'string',
  )
  const rates = s.rates.filter(
    (w): w is RateWindow =>
      typeof w?.scope === 'string' && typeof w.until === 'number' && Array.isArray(w.keys),
  )
  return {
    state: {
      ...fresh,
      newest: typeof s.newest === 'number' ? s.newest : fresh.newest,
      dedup,
      rates,
      evicted: { ...fresh.evicted, ...s.evicted },
      totals: { ...fresh.totals, ...s.totals },
    },
  }
}
