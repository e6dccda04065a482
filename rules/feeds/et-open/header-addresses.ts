// IP-reputation rules (ET TOR/CINS/DROP/botcc, abuse.ch Feodo) carry their indicators in the
// rule header: `[1.2.3.4,5.6.7.0/24]`. Variables ($HOME_NET) and `any` are not indicators.
import { normaliseIp } from '../normalise/ip.ts'

export type HeaderAddresses =
  | { kind: 'variable' }
  | { kind: 'literal'; addresses: string[] }
  | { kind: 'invalid'; reason: string }

export function parseHeaderAddresses(field: string): HeaderAddresses {
  const text = field.trim()
  if (text === 'any' || /^!?\$[A-Z_]+$/.test(text)) return { kind: 'variable' }
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text
  const addresses: string[] = []
  for (const item of inner.split(',')) {
    const entry = item.trim()
    if (entry.startsWith('!')) return { kind: 'invalid', reason: 'negated address in header' }
    if (entry.startsWith('$') || entry.startsWith('['))
      return { kind: 'invalid', reason: 'variable or nested group mixed with addresses' }
    const ip = normaliseIp(entry)
    if (!ip.ok) return { kind: 'invalid', reason: `header address "${entry}": ${ip.reason}` }
    addresses.push(ip.value)
  }
  return { kind: 'literal', addresses }
}

/** A single numeric port, or undefined for `any`, ranges, lists and variables. */
export function singlePort(field: string): number | undefined {
  const text = field.trim().replace(/^\[(\d+)\]$/, '$1')
  if (!/^\d{1,5}$/.test(text)) return undefined
  const port = Number(text)
  return port >= 1 && port <= 65535 ? port : undefined
}
