// The URL form of match plan §3 (dsl/schema/README.md) and its lookup, as the sensor does it
// (sensor-native intel/url.rs): list entries and observed requests are brought to one string,
// `host[:port]/path?query` without scheme, so matching is a few exact lookups.

const UNRESERVED = /[A-Za-z0-9\-._~]/

/** `%xx` of an unreserved character decoded, every other escape in upper-case hex (RFC 3986 §6.2.2). */
export function normalisePercent(text: string): string {
  if (!text.includes('%')) return text
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16))
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`
  })
}

function stripDefaultPort(authority: string, defaultPort: string): string {
  const colon = authority.lastIndexOf(':')
  if (colon < 0) return authority
  const host = authority.slice(0, colon)
  const port = authority.slice(colon + 1)
  const bracketed = !host.includes(':') || host.endsWith(']')
  return (port === defaultPort || port === '80') && bracketed ? host : authority
}

/**
 * A list entry in the §3 form, or undefined when it cannot match a request: empty, a scheme
 * other than http(s)/ws(s), no host, or the bare path `/` (it would match every request).
 * A path-only entry (`/gate.php`) stays a path and matches that path on any host.
 */
export function normaliseUrlEntry(entry: string): string | undefined {
  const text = (entry.trim().split('#')[0] ?? '').trim()
  if (text === '') return undefined
  if (text.startsWith('/')) {
    const path = normalisePercent(text)
    return path === '/' || path === '/?' ? undefined : path
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(text)
  let rest = text
  let defaultPort = '80'
  if (scheme) {
    const name = (scheme[1] ?? '').toLowerCase()
    if (name === 'https' || name === 'wss') defaultPort = '443'
    else if (name !== 'http' && name !== 'ws') return undefined
    rest = text.slice(scheme[0].length)
  }
  const split = rest.search(/[/?]/)
  const authorityWithUser = split < 0 ? rest : rest.slice(0, split)
  const path = split < 0 ? '/' : rest.slice(split)
  const authority = authorityWithUser.slice(authorityWithUser.lastIndexOf('@') + 1)
  const host = stripDefaultPort(authority, defaultPort).toLowerCase()
  if (host === '') return undefined
  return `${host}${path.startsWith('/') ? '' : '/'}${normalisePercent(path)}`
}

/**
 * The §3 form of a request: `host` is the Host header, `uri` the request target. An
 * absolute-form target (`GET http://h/p`, proxies) names its own host; without a host the form
 * is the path alone. Undefined for targets with no path (`*`, CONNECT's `host:port`).
 */
export function requestUrl(host: string | undefined, uri: string): string | undefined {
  const target = uri.split('#')[0] ?? ''
  if (/^(https?|wss?):\/\//i.test(target)) return normaliseUrlEntry(target)
  if (!target.startsWith('/')) return undefined
  const path = normalisePercent(target)
  if (host === undefined || host === '') return path
  return `${stripDefaultPort(host, '80').toLowerCase()}${path}`
}

/**
 * The keys under which an entry can match a request form, most specific first: the form itself;
 * the form without its query (an entry without a query matches any query); every prefix ending
 * in `/` inside the path (directory entries such as `evil.example/kit/`, `evil.example/`) or in
 * `?`, `=` or `&` inside the query (entries such as `gate.php?id=`). All of it twice: with the
 * host, and as the path alone (path-only entries match on any host).
 */
export function urlLookupKeys(form: string): string[] {
  const keys: string[] = []
  const pathAt = form.startsWith('/') ? 0 : form.indexOf('/')
  const forms = pathAt <= 0 ? [form] : [form, form.slice(pathAt)]
  for (const f of forms) {
    const query = f.indexOf('?')
    const add = (key: string) => {
      if (key !== '/' && !keys.includes(key)) keys.push(key)
    }
    add(f)
    for (let i = f.length - 1; query >= 0 && i > query; i--) {
      const c = f[i]
      if (c === '=' || c === '&') add(f.slice(0, i + 1))
    }
    if (query >= 0) {
      add(f.slice(0, query + 1))
      add(f.slice(0, query))
    }
    const end = query < 0 ? f.length : query
    const slashFrom = f.startsWith('/') ? 0 : f.indexOf('/')
    for (let i = end - 1; i >= slashFrom && slashFrom >= 0; i--) {
      if (f[i] === '/') add(f.slice(0, i + 1))
    }
  }
  return keys
}

/** A lookup over URL entries: the value is a request's §3 form; the indicator the entry hit. */
export function urlFinder(entries: readonly string[]): (form: string) => string | undefined {
  const set = new Set<string>()
  for (const entry of entries) {
    const normal = normaliseUrlEntry(entry)
    if (normal !== undefined) set.add(normal)
  }
  return (form) => urlLookupKeys(form).find((key) => set.has(key))
}
