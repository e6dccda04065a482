// IPv4 and IPv6 addresses and prefixes without Node APIs. IPv4-mapped IPv6 (::ffff:a.b.c.d) is
// read as IPv4, so one rule covers both spellings of the same host.

export type IpPrefix = { v: 4 | 6; words: number[]; length: number }

/** The address as 16-bit words (2 for IPv4, 8 for IPv6), or undefined when not an address. */
export function parseIp(text: string): { v: 4 | 6; words: number[] } | undefined {
  if (text.includes(':')) return parseIpv6(text)
  const v4 = parseIpv4(text)
  return v4 === undefined ? undefined : { v: 4, words: v4 }
}

function parseIpv4(text: string): number[] | undefined {
  const value = ipv4Number(text)
  return value === undefined ? undefined : [value >>> 16, value & 0xffff]
}

/**
 * Dotted-quad IPv4 → unsigned 32-bit number, without allocating (it runs for every address a
 * prefix rule sees). Leading zeros are refused: `010.0.0.1` is ambiguous (octal in some tools).
 */
export function ipv4Number(text: string): number | undefined {
  let value = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === 46) {
      if (digits === 0 || dots === 3) return undefined
      value = value * 256 + part
      part = 0
      digits = 0
      dots++
    } else if (code >= 48 && code <= 57) {
      if (digits > 0 && part === 0) return undefined
      part = part * 10 + (code - 48)
      digits++
      if (part > 255) return undefined
    } else return undefined
  }
  if (dots !== 3 || digits === 0) return undefined
  return value * 256 + part
}

function parseIpv6(text: string): { v: 4 | 6; words: number[] } | undefined {
  let body = text.toLowerCase()
  const zone = body.indexOf('%')
  if (zone >= 0) body = body.slice(0, zone)
  let tail: number[] = []
  const lastColon = body.lastIndexOf(':')
  if (body.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(body.slice(lastColon + 1))
    if (v4 === undefined) return undefined
    tail = v4
    body = `${body.slice(0, lastColon + 1)}${tail.length ? '0:0' : ''}`
  }
  const halves = body.split('::')
  if (halves.length > 2) return undefined
  const read = (part: string | undefined): number[] | undefined => {
    if (!part) return []
    const words: number[] = []
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/.test(group)) return undefined
      words.push(Number.parseInt(group, 16))
    }
    return words
  }
  const head = read(halves[0])
  const rest = read(halves[1])
  if (head === undefined || rest === undefined) return undefined
  let words: number[]
  if (halves.length === 2) {
    const fill = 8 - head.length - rest.length
    if (fill < 1) return undefined
    words = [...head, ...new Array<number>(fill).fill(0), ...rest]
  } else words = head
  if (words.length !== 8) return undefined
  if (tail.length) words.splice(6, 2, ...tail)
  const mapped = words.slice(0, 5).every((w) => w === 0) && words[5] === 0xffff
  return mapped ? { v: 4, words: words.slice(6) } : { v: 6, words }
}

/** `10.0.0.0/8`, `fc00::/7`, or a bare address (a full-length prefix). */
export function parsePrefix(text: string): IpPrefix | undefined {
  const slash = text.indexOf('/')
  const address = parseIp(slash < 0 ? text : text.slice(0, slash))
  if (address === undefined) return undefined
  const max = address.v === 4 ? 32 : 128
  if (slash < 0) return { v: address.v, words: address.words, length: max }
  const lengthText = text.slice(slash + 1)
  if (!/^\d{1,3}$/.test(lengthText)) return undefined
  const length = Number(lengthText)
  if (length > max) return undefined
  return { v: address.v, words: address.words, length }
}

export function prefixContains(prefix: IpPrefix, address: { v: 4 | 6; words: number[] }): boolean {
  if (prefix.v !== address.v) return false
  let remaining = prefix.length
  for (let i = 0; remaining > 0; i++, remaining -= 16) {
    const bits = Math.min(16, remaining)
    const mask = (0xffff << (16 - bits)) & 0xffff
    if (((prefix.words[i] ?? 0) & mask) !== ((address.words[i] ?? 0) & mask)) return false
  }
  return true
}
