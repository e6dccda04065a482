// Reference semantics of match plan v1 lookups (dsl/schema/README.md), so tests, the evaluation
// and small Worker-side lists agree with the sensor: a domain entry matches the name and every
// subdomain, the longest entry wins; an ip entry is an address or a network.
import { formatIp, maskBytes, parseIp } from '../normalise/ip.ts'
import type { IntelList, ListEntry } from './intel-list.ts'

/** The longest entry that is `name` or a parent of it; `name` must already be normalised. */
export function lookupDomain(list: IntelList, name: string): ListEntry | undefined {
  let candidate = name
  for (;;) {
    const entry = list.entries.get(candidate)
    if (entry) return entry
    const dot = candidate.indexOf('.')
    if (dot === -1) return undefined
    candidate = candidate.slice(dot + 1)
  }
}

/**
 * The most specific entry containing `address` (canonical) whose ports allow `port`. Networks
 * are found by probing every prefix length, longest first: at most 32 or 128 map lookups.
 */
export function lookupIp(list: IntelList, address: string, port?: number): ListEntry | undefined {
  const exact = list.entries.get(address)
  const portOk = (entry: ListEntry) =>
    entry.anyPort || port === undefined || entry.ports?.has(port) === true
  if (exact && portOk(exact)) return exact
  const parsed = parseIp(address)
  if (!parsed.ok) return undefined
  const width = parsed.value.bytes.length * 8
  for (let prefix = width - 1; prefix >= 0; prefix--) {
    const network = `${formatIp({ version: parsed.value.version, bytes: maskBytes(parsed.value.bytes, prefix) })}/${prefix}`
    const entry = list.entries.get(network)
    if (entry && portOk(entry)) return entry
  }
  return undefined
}
