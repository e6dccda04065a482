/**
 * One string per event that ignores how it travelled: key order and absent-versus-null differ
 * between `socbox events` output and a batch decoded at the edge (columns are padded with
 * nulls), the event itself does not. Events of a capture are not unique by kind and flow, but
 * whole events are, so comparing these strings as multisets shows a lost or doubled event.
 */
export function canonicalEvent(event: unknown): string {
  return JSON.stringify(strip(event))
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== null && v !== undefined) out[key] = strip(v)
  }
  return out
}

/** Distinct Tor2web lookups (source address and query): SB-TOR-0001 alerts once each. */
export function distinctTorLookups(events: Record<string, unknown>[]): number {
  const keys = new Set<string>()
  for (const e of events) {
    const hits = e.hits as { list: string }[] | undefined
    if (e.kind !== 'dns' || !hits?.some((h) => h.list === 'maltrail.onion')) continue
    keys.add(`${(e.src as { ip: string }).ip} ${e.query}`)
  }
  return keys.size
}
