// IPs and CIDRs in one canonical spelling, so that the same address listed by two feeds (one as
// `::FFFF:1.2.3.4`, one as `1.2.3.4`) merges into one indicator with two provenances.
import { fail, ok, type Result } from '../model/result.ts'

export interface ParsedIp {
  version: 4 | 6
  /** 4 or 16 bytes, network order. */
  bytes: number[]
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  const bytes: number[] = []
  for (const part of parts) {
    // Leading zeros are refused: `010` is octal to some parsers and decimal to others.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return undefined
    const n = Number(part)
    if (n > 255) return undefined
    bytes.push(n)
  }
  return bytes
}

function parseIpv6(text: string): number[] | undefined {
  if (text.includes('%')) return undefined // zone ids are link-local detail, never intel
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const groupsOf = (part: string): number[] | undefined => {
    if (part === '') return []
    const pieces = part.split(':')
    const out: number[] = []
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? ''
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece)
        if (!v4) return undefined
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0))
        continue
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(piece)) return undefined
      out.push(Number.parseInt(piece, 16))
    }
    return out
  }
  const head = groupsOf(halves[0] ?? '')
  const tail = halves.length === 2 ? groupsOf(halves[1] ?? '') : []
  if (!head || !tail) return undefined
  let groups: number[]
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length
    if (missing < 1) return undefined
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail]
  } else {
    groups = head
  }
  if (groups.length !== 8) return undefined
  return groups.flatMap((g) => [g >> 8, g & 0xff])
}

export function parseIp(text: string): Result<ParsedIp> {
  const t = text.trim()
  if (t.includes(':')) {
    const bytes = parseIpv6(t.startsWith('[') && t.endsWith(']') ? t.slice(1, -1) : t)
    return bytes ? ok({ version: 6, bytes }) : fail('not an IPv6 address')
  }
  const bytes = parseIpv4(t)
  return bytes ? ok({ version: 4, bytes }) : fail('not an IPv4 address')
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is the IPv4 address: sensors report it as IPv4. */
function unmap(ip: ParsedIp): ParsedIp {
  const b = ip.bytes
  if (
    ip.version === 6 &&
    b.slice(0, 10).every((x) => x === 0) &&
    b[10] === 0xff &&
    b[11] === 0xff
  ) {
    return { version: 4, bytes: b.slice(12) }
  }
  return ip
}

/** RFC 5952: lowercase, no leading zeros, the longest run (≥2) of zero groups as `::`. */
export function formatIp(ip: ParsedIp): string {
  if (ip.version === 4) return ip.bytes.join('.')
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0))
  let bestStart = -1
  let bestLength = 0
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLength) {
      bestStart = i
      bestLength = j - i
    }
    i = j
  }
  const hex = groups.map((g) => g.toString(16))
  if (bestLength < 2) return hex.join(':')
  const head = hex.slice(0, bestStart).join(':')
  const tail = hex.slice(bestStart + bestLength).join(':')
  return `${head}::${tail}`
}

/** Clears the bits after `prefix` (the network of an address). */
export function maskBytes(bytes: number[], prefix: number): number[] {
  return bytes.map((byte, i) => {
    const bits = Math.max(0, Math.min(8, prefix - i * 8))
    return bits === 8 ? byte : byte & ((0xff << (8 - bits)) & 0xff)
  })
}

/**
 * Canonical address or network: `1.2.3.4`, `2001:db8::1`, `10.0.0.0/8`. A host route (/32,
 * /128) is written as the bare address; host bits of a network are cleared, because
 * `10.0.0.5/8` in a feed means the network 10.0.0.0/8.
 */
export function normaliseIp(raw: string): Result<string> {
  const text = raw.trim()
  const slash = text.indexOf('/')
  const addressText = slash === -1 ? text : text.slice(0, slash)
  const parsed = parseIp(addressText)
  if (!parsed.ok) return parsed
  let ip = parsed.value
  if (slash === -1) return ok(formatIp(unmap(ip)))
  const prefixText = text.slice(slash + 1)
  if (!/^[0-9]{1,3}$/.test(prefixText)) return fail(`invalid prefix length "${prefixText}"`)
  let prefix = Number(prefixText)
  const mapped = unmap(ip)
  if (mapped !== ip) {
    if (prefix < 96) return fail('IPv4-mapped network shorter than /96')
    prefix -= 96
    ip = mapped
  }
  const width = ip.version === 4 ? 32 : 128
  if (prefix > width) return fail(`prefix /${prefix} longer than ${width} bits`)
  const network = { version: ip.version, bytes: maskBytes(ip.bytes, prefix) }
  return ok(prefix === width ? formatIp(network) : `${formatIp(network)}/${prefix}`)
}

/** Whether canonical `network` (address or CIDR) contains canonical address `address`. */
export function networkContains(network: string, address: string): boolean {
  const slash = network.indexOf('/')
  const net = parseIp(slash === -1 ? network : network.slice(0, slash))
  const addr = parseIp(address)
  if (!net.ok || !addr.ok || net.value.version !== addr.value.version) return false
  const width = net.value.version === 4 ? 32 : 128
  const prefix = slash === -1 ? width : Number(network.slice(slash + 1))
  const masked = maskBytes(addr.value.bytes, prefix)
  return masked.every((b, i) => b === net.value.bytes[i])
}
