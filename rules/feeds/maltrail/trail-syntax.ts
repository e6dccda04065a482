// One Maltrail trail (a line of a static trail file, or the first column of a compiled
// trails.csv): a domain, an IP, `ip:port` or `[ipv6]:port`, a CIDR, a URL, `host/path` or a bare
// `/path`. Regular-expression trails cannot be listed literally and are reported as such.
import type { Indicator } from '../model/indicator.ts'

// Regex syntax that never occurs in a literal host or path: escapes, alternation, non-empty
// character classes, counted repetition, anchors, `*`. Literal URLs do contain `(I)`, `[]` and
// a lone `)` (`/w00tw00t…DFind:)`, `…/pop(I).mov`, `?accounts=[]`), so those are not regex.
const REGEX_SYNTAX = /\\|\||\[[^\]]+\]|\{\d+(,\d*)?\}|^\^|\$$|\*/
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/
const LOOKS_LIKE_IP = /^[0-9.]+(\/\d+)?$|^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d+)?$/

export type ParsedTrail = { ioc: Indicator['ioc']; raw: string; port?: number } | { error: string }

function withPort(address: string, portText: string): ParsedTrail {
  const port = Number(portText)
  if (port < 1 || port > 65535) return { error: `port ${port} out of range` }
  return { ioc: 'ip', raw: address, port }
}

/** What one trail is: an indicator kind and its raw text (with a port), or why it is none. */
export function parseTrail(trail: string): ParsedTrail {
  const bracketed = /^\[([0-9a-fA-F:.]+)\]:(\d{1,5})$/.exec(trail)
  if (bracketed) return withPort(bracketed[1] ?? '', bracketed[2] ?? '')
  if (REGEX_SYNTAX.test(trail)) return { error: 'regular-expression trail (no literal to list)' }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(trail)) return { ioc: 'url', raw: trail }
  if (/^[0-9.]+(:\d+){2,}$/.test(trail)) return { error: 'address with more than one port' }
  const v4WithPort = IPV4_WITH_PORT.exec(trail)
  if (v4WithPort) return withPort(v4WithPort[1] ?? '', v4WithPort[2] ?? '')
  if (LOOKS_LIKE_IP.test(trail)) return { ioc: 'ip', raw: trail }
  if (trail.includes('/')) return { ioc: 'url', raw: trail }
  if (/:\d+$/.test(trail))
    return { error: 'host with port (Maltrail matches ports only on addresses)' }
  return { ioc: 'domain', raw: trail }
}
