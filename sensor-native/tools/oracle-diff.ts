/**
 * Differences between tshark's facts and socbox's for one capture, per compared field. A value
 * seen a different number of times on each side is one difference, with both counts.
 */
import type { Comparable, CountField, ListField } from './comparable.ts'

export type Field = ListField | CountField
export type Difference = { field: Field; value: string; tshark: number; socbox: number }

/** Which event kind feeds which fields: a kind's comparisons are active once socbox emits it. */
export const FIELDS_OF_KIND: Readonly<Record<string, readonly Field[]>> = {
  dns: ['dns'],
  tls: ['tls.sni'],
  http: ['http'],
  conn: ['flows.tcp', 'flows.udp'],
}

export function diffFacts(
  tshark: Comparable,
  socbox: Comparable,
  fields: readonly Field[],
): Difference[] {
  const out: Difference[] = []
  for (const field of fields) {
    if (field === 'flows.tcp' || field === 'flows.udp') {
      const [t, s] = [tshark.counts[field], socbox.counts[field]]
      if (t !== s) out.push({ field, value: `tshark ${t}, socbox ${s}`, tshark: t, socbox: s })
      continue
    }
    const [t, s] = [tshark.lists[field], socbox.lists[field]]
    for (const value of [...new Set([...t.keys(), ...s.keys()])].sort()) {
      const [nt, ns] = [t.get(value) ?? 0, s.get(value) ?? 0]
      if (nt !== ns) out.push({ field, value, tshark: nt, socbox: ns })
    }
  }
  return out
}

export function describeDifference(d: Difference): string {
  if (d.field.startsWith('flows.')) return `${d.field}: ${d.value}`
  return `${d.field} ${JSON.stringify(d.value)}: tshark ${d.tshark}, socbox ${d.socbox}`
}
