// State of first_seen(value, window): per call site and tenant, the last event time each value
// was seen, in an LRU map (a JS Map keeps insertion order: touching a value moves it to the end,
// the oldest is evicted first). Bounded; a value evicted while still inside its window may be
// reported as new again, so such evictions are counted. Serialisable for persistence.

export type FirstSeenLimits = {
  /** Values remembered per call site and tenant. */
  values: number
  /** Tenants per call site (an engine normally serves one). */
  tenants: number
}

export const DEFAULT_FIRST_SEEN_LIMITS: FirstSeenLimits = { values: 50_000, tenants: 64 }

/** `{ site: { tenant: [[value, ts], …] } }`, oldest first; what `save` gives and `load` takes. */
export type FirstSeenState = {
  v: 1
  sites: Record<string, Record<string, [string, number][]>>
}

export type FirstSeenStore = {
  /** The tenant whose state the next tests use (set by the engine for each evaluate call). */
  tenant: string
  /** A tester for one call site, named stably (`RULE#n`) so saved state survives a new pack. */
  site(name: string, window: number): (value: string, ts: number) => boolean
  /** Values evicted inside their window since the last call, by site. */
  takeEvictions(): Map<string, number>
  /** Values added (not merely seen again) so far: a cheap test of whether saving is worth it. */
  additions(): number
  save(): FirstSeenState
  /** Restores saved state for the sites this pack has; returns what was unusable. */
  load(state: unknown): string[]
  size(): number
}

type Site = { window: number; tenants: Map<string, Map<string, number>>; evicted: number }

export function createFirstSeenStore(
  limits: FirstSeenLimits = DEFAULT_FIRST_SEEN_LIMITS,
): FirstSeenStore {
  const sites = new Map<string, Site>()
  let added = 0
  const tenantMap = (site: Site, tenant: string): Map<string, number> => {
    let values = site.tenants.get(tenant)
    if (values === undefined) {
      values = new Map()
      site.tenants.set(tenant, values)
      if (site.tenants.size > limits.tenants) {
        const oldest = site.tenants.keys().next().value as string
        site.evicted += site.tenants.get(oldest)?.size ?? 0
        site.tenants.delete(oldest)
      }
    }
    return values
  }
  const store: FirstSeenStore = {
    tenant: '',
    site(name, window) {
      const site: Site = { window, tenants: new Map(), evicted: 0 }
      sites.set(name, site)
      let lastTenant = ''
      let values = new Map<string, number>()
      let newest = Number.NEGATIVE_INFINITY
      return (value, ts) => {
        if (store.tenant !== lastTenant || !site.tenants.has(lastTenant)) {
          lastTenant = store.tenant
          values = tenantMap(site, lastTenant)
        }
        if (ts > newest) newest = ts
        const previous = values.get(value)
        const known = previous !== undefined && ts - previous <= window
        if (previous !== undefined) values.delete(value)
        else added++
        values.set(value, previous !== undefined && previous > ts ? previous : ts)
        if (values.size > limits.values) {
          const [oldest, seenAt] = values.entries().next().value as [string, number]
          values.delete(oldest)
          // Only a value still inside its window is a loss worth reporting.
          if (newest - seenAt <= window) site.evicted++
        }
        return !known
      }
    },
    takeEvictions() {
      const found = new Map<string, number>()
      for (const [name, site] of sites) {
        if (site.evicted > 0) found.set(name, site.evicted)
        site.evicted = 0
      }
      return found
    },
    additions: () => added,
    save() {
      const saved: FirstSeenState = { v: 1, sites: {} }
      for (const [name, site] of sites) {
        const tenants: Record<string, [string, number][]> = {}
        for (const [tenant, values] of site.tenants) tenants[tenant] = [...values.entries()]
        saved.sites[name] = tenants
      }
      return saved
    },
    load(state) {
      const problems: string[] = []
      const saved = state as Partial<FirstSeenState> | null
      if (saved?.v !== 1 || typeof saved.sites !== 'object' || saved.sites === null)
        return ['first_seen state is not version 1: starting empty']
      for (const [name, tenants] of Object.entries(saved.sites)) {
        const site = sites.get(name)
        if (site === undefined) continue // the rule is gone from the pack
        for (const [tenant, entries] of Object.entries(tenants ?? {})) {
          if (!Array.isArray(entries)) {
            problems.push(`first_seen state of ${name} for ${tenant} is not a list`)
            continue
          }
          const values = tenantMap(site, tenant)
          for (const entry of entries.slice(-limits.values)) {
            if (
              Array.isArray(entry) &&
              typeof entry[0] === 'string' &&
              typeof entry[1] === 'number'
            )
              values.set(entry[0], entry[1])
          }
        }
      }
      return problems
    },
    size() {
      let total = 0
      for (const site of sites.values())
        for (const values of site.tenants.values()) total += values.size
      return total
    },
  }
  return store
}
