/**
 * Both sides of the oracle reduced to the same comparable shape: for each compared field, a map
 * from a readable value (see oracle-facts.ts) to how many times it occurs, and the flow counts.
 */
import { answerStrings, dnsKey, type Facts, httpKey } from './oracle-facts.ts'

export type ListField = 'dns' | 'tls.sni' | 'http'
export type CountField = 'flows.tcp' | 'flows.udp'

export type Comparable = {
  lists: Record<ListField, Map<string, number>>
  counts: Record<CountField, number>
}

export function emptyComparable(): Comparable {
  return {
    lists: { dns: new Map(), 'tls.sni': new Map(), http: new Map() },
    counts: { 'flows.tcp': 0, 'flows.udp': 0 },
  }
}

export function addTo(map: Map<string, number>, key: string, n = 1): void {
  map.set(key, (map.get(key) ?? 0) + n)
}

export function comparableOracle(facts: Facts): Comparable {
  const c = emptyComparable()
  for (const t of facts.dns) addTo(c.lists.dns, dnsKey(t, answerStrings(t.answers)), t.count)
  for (const s of facts.tls) addTo(c.lists['tls.sni'], s.sni, s.count)
  for (const r of facts.http) addTo(c.lists.http, httpKey(r), r.count)
  c.counts['flows.tcp'] = facts.flows.tcp
  c.counts['flows.udp'] = facts.flows.udp
  return c
}
