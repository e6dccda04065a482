// Domains are compared by the sensor as lowercase ASCII (punycode) without a trailing dot, and a
// list entry matches itself and every subdomain. So every feed's spelling is brought to that form.
import { domainToASCII } from 'node:url'
import { fail, ok, type Result } from '../model/result.ts'
import { parseIp } from './ip.ts'

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/

/**
 * Canonical domain: IDNA to punycode (UTS #46 via WHATWG), lowercase, one trailing dot dropped.
 * A leading dot (`.cc`, Maltrail's way of writing "this suffix") is dropped too: the match plan's
 * parent-suffix semantics already mean "this name and everything under it".
 * Underscores are allowed because real DNS names (SRV, DKIM, malware) use them.
 */
export function normaliseDomain(raw: string): Result<string> {
  let name = raw.trim()
  if (name.endsWith('.')) name = name.slice(0, -1)
  if (name.startsWith('.')) name = name.slice(1)
  if (name === '') return fail('empty domain')
  if (parseIp(name).ok) return fail('an IP address, not a domain')
  const ascii = domainToASCII(name)
  if (ascii === '') return fail('not a valid IDNA domain')
  if (ascii.length > 253) return fail('longer than 253 characters')
  const labels = ascii.split('.')
  for (const label of labels) {
    if (label === '') return fail('empty label')
    if (!LABEL.test(label)) return fail(`invalid label "${label}"`)
  }
  return ok(ascii)
}
