// Feeds occasionally list infrastructure everyone uses (a public resolver, a cloud provider's
// apex domain) — one such entry in a threat list would alert on every customer. The allowlist
// removes, from threat lists only, entries that would match an allowlisted name or address:
// an equal or parent domain, an equal address or a network containing it. A deeper subdomain
// (`evil.example.com` under an allowlisted `example.com`) is specific and stays.
import { networkContains, normaliseIp } from '../normalise/ip.ts'
import type { IntelList, ListEntry } from './intel-list.ts'

export interface Allowlist {
  domains: readonly string[]
  ips: readonly string[]
}

export interface AllowlistRemoval {
  value: string
  covers: string
  feeds: string[]
}

function isParentOrSelf(entry: string, name: string): boolean {
  return name === entry || name.endsWith(`.${entry}`)
}

export function applyAllowlist(
  list: IntelList,
  allowlist: Allowlist,
): { list: IntelList; removed: AllowlistRemoval[] } {
  if (list.class.startsWith('info.') || (list.ioc !== 'domain' && list.ioc !== 'ip'))
    return { list, removed: [] }
  const ips = allowlist.ips.map((address) => {
    const canonical = normaliseIp(address)
    return canonical.ok ? canonical.value : address
  })
  const removed: AllowlistRemoval[] = []
  const entries = new Map<string, ListEntry>()
  for (const [value, entry] of list.entries) {
    // A bare address can only cover itself: a string compare; networks are few and checked fully.
    const covers =
      list.ioc === 'domain'
        ? allowlist.domains.find((name) => isParentOrSelf(value, name))
        : value.includes('/')
          ? ips.find((address) => networkContains(value, address))
          : ips.find((address) => address === value)
    if (covers !== undefined) removed.push({ value, covers, feeds: [...entry.feeds] })
    else entries.set(value, entry)
  }
  return removed.length === 0 ? { list, removed } : { list: { ...list, entries }, removed }
}
