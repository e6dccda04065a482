// Entries that can only be mistakes in a threat list, whatever feed says so: an internal or
// reserved address (it would alert on the customer's own network), a network so wide that it
// covers whole providers, or a single-label domain (a whole top-level domain). They are removed
// from threat lists and reported; info.* lists may keep them (context such as `.tk`).
import { maskBytes, parseIp } from '../normalise/ip.ts'
import type { IntelList, ListEntry } from './intel-list.ts'

const RESERVED = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
]

// Parsed once: the check runs for every address of every threat list (10⁵ entries).
const RESERVED_PARSED = RESERVED.map((network) => {
  const [address = '', prefix] = network.split('/')
  const parsed = parseIp(address)
  if (!parsed.ok) throw new Error(`bad reserved network ${network}`)
  const width = parsed.value.bytes.length * 8
  return {
    network,
    version: parsed.value.version,
    bytes: parsed.value.bytes,
    prefix: prefix === undefined ? width : Number(prefix),
  }
})

function reservedNetworkOf(address: string): string | undefined {
  const parsed = parseIp(address)
  if (!parsed.ok) return undefined
  for (const reserved of RESERVED_PARSED) {
    if (reserved.version !== parsed.value.version) continue
    const masked = maskBytes(parsed.value.bytes, reserved.prefix)
    if (masked.every((byte, i) => byte === reserved.bytes[i])) return reserved.network
  }
  return undefined
}

/**
 * Special-use names that never resolve in public DNS (RFC 7686 `.onion`): any query for one is
 * itself the signal (a host trying to reach a Tor hidden service), so the whole name may be listed.
 */
const SPECIAL_USE = new Set(['onion'])

/** Narrowest network a threat list may hold: a /16 of IPv4 or a /32 of IPv6. */
const WIDEST_PREFIX = { v4: 16, v6: 32 }

export interface SanityRemoval {
  value: string
  reason: string
  feeds: string[]
}

/**
 * Shortest path-only URL entry (`/gate.php`, matched on any host) a threat list may hold without
 * a query: Maltrail lists `/s.txt`, `/1.ps1`, `/cry32`, names that ordinary sites also serve.
 */
const SHORTEST_PATH_ONLY = 8

function problemOf(ioc: IntelList['ioc'], value: string): string | undefined {
  if (ioc === 'url') {
    return value.startsWith('/') && !value.includes('?') && value.length < SHORTEST_PATH_ONLY
      ? `a path on any host shorter than ${SHORTEST_PATH_ONLY} characters`
      : undefined
  }
  if (ioc === 'domain') {
    return value.includes('.') || SPECIAL_USE.has(value) ? undefined : 'a whole top-level domain'
  }
  if (ioc !== 'ip') return undefined
  const [address = '', prefixText] = value.split('/')
  const reserved = reservedNetworkOf(address)
  if (reserved) return `internal or reserved address (${reserved})`
  if (prefixText !== undefined) {
    const widest = address.includes(':') ? WIDEST_PREFIX.v6 : WIDEST_PREFIX.v4
    if (Number(prefixText) < widest) return `network wider than /${widest}`
  }
  return undefined
}

export function applySanity(list: IntelList): { list: IntelList; removed: SanityRemoval[] } {
  if (list.class.startsWith('info.')) return { list, removed: [] }
  const removed: SanityRemoval[] = []
  const entries = new Map<string, ListEntry>()
  for (const [value, entry] of list.entries) {
    const reason = problemOf(list.ioc, value)
    if (reason) removed.push({ value, reason, feeds: [...entry.feeds] })
    else entries.set(value, entry)
  }
  return removed.length === 0 ? { list, removed } : { list: { ...list, entries }, removed }
}
