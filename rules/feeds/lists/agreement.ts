// Broad feeds (ThreatFox's IP export, reputation lists) list shared hosting and cloud addresses
// that also serve benign sites. For such lists a bare IP is kept only when enough *independent*
// sources agree. Independence is by upstream, not by feed: abuse.ch's CSV and abuse.ch's
// Suricata rules are one source. A network (CIDR) of another source that contains the address
// counts as agreement.
import type { Indicator } from '../model/indicator.ts'
import { maskBytes, parseIp } from '../normalise/ip.ts'
import type { IntelList, ListEntry } from './intel-list.ts'

export interface AgreementPolicy {
  /** Distinct upstream sources needed to keep a bare IP that only noisy feeds list. */
  minSources: number
  /** Feeds whose bare IPs need corroboration. */
  noisyFeeds: readonly string[]
}

export interface HeldBack {
  value: string
  feeds: string[]
}

/** Which upstream sources list an address, directly or inside a network; over all classes. */
export type Corroboration = (address: string) => Set<string>

function networkKey(bytes: number[], prefix: number): string {
  return `${bytes.length}:${maskBytes(bytes, prefix).join('.')}/${prefix}`
}

export function buildCorroboration(
  indicators: Iterable<Indicator>,
  upstreamOf: (feed: string) => string,
): Corroboration {
  const byNetwork = new Map<string, Set<string>>()
  const prefixes = new Set<number>()
  for (const indicator of indicators) {
    if (indicator.ioc !== 'ip') continue
    const [address = '', prefixText] = indicator.value.split('/')
    const parsed = parseIp(address)
    if (!parsed.ok) continue
    const prefix = prefixText === undefined ? parsed.value.bytes.length * 8 : Number(prefixText)
    prefixes.add(prefix)
    const key = networkKey(parsed.value.bytes, prefix)
    let sources = byNetwork.get(key)
    if (!sources) {
      sources = new Set()
      byNetwork.set(key, sources)
    }
    sources.add(upstreamOf(indicator.origin.feed))
  }
  const sortedPrefixes = [...prefixes]
  return (address) => {
    const parsed = parseIp(address)
    const sources = new Set<string>()
    if (!parsed.ok) return sources
    const width = parsed.value.bytes.length * 8
    for (const prefix of sortedPrefixes) {
      if (prefix > width) continue
      for (const source of byNetwork.get(networkKey(parsed.value.bytes, prefix)) ?? [])
        sources.add(source)
    }
    return sources
  }
}

function needsCorroboration(entry: ListEntry, policy: AgreementPolicy): boolean {
  if (entry.value.includes('/')) return false // networks are listed deliberately, not bare IPs
  return [...entry.feeds].every((feed) => policy.noisyFeeds.includes(feed))
}

/** Returns the list without bare IPs that lack agreement, and what was held back. */
export function applyAgreement(
  list: IntelList,
  policy: AgreementPolicy,
  corroboration: Corroboration,
): { list: IntelList; heldBack: HeldBack[] } {
  if (list.ioc !== 'ip') return { list, heldBack: [] }
  const entries = new Map<string, ListEntry>()
  const heldBack: HeldBack[] = []
  for (const [value, entry] of list.entries) {
    if (needsCorroboration(entry, policy) && corroboration(value).size < policy.minSources) {
      heldBack.push({ value, feeds: [...entry.feeds] })
      continue
    }
    entries.set(value, entry)
  }
  return { list: { ...list, entries }, heldBack }
}
