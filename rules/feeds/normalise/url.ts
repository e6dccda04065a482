// URLs are matched as strings, so two spellings of one resource must become one string: the
// match-plan form of dsl/schema/README.md §3, `host[:port]/path?query` without scheme (the
// sensor sees only what an HTTP request shows: Host header and request target). Host lowercase
// (via IDNA), default port of the scheme dropped, user info dropped (never in a request), dot
// segments resolved, percent-escapes of unreserved characters decoded and every other escape in
// uppercase hex (RFC 3986 §6.2.2; the sensor applies the same to requests), query kept,
// fragment dropped (never sent on the wire).
import { fail, ok, type Result } from '../model/result.ts'
import { normaliseDomain } from './domain.ts'
import { normaliseIp } from './ip.ts'

const UNRESERVED = /[A-Za-z0-9\-._~]/

export function normalisePercentEncoding(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16))
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`
  })
}

/** Path-only trails (`/gate.php`) mean "this path on any host": kept as a path. */
function normalisePathOnly(raw: string): Result<string> {
  let url: URL
  try {
    // Appended to an origin, not resolved against it: `//x/atom.xml` is a path here, whereas
    // resolution would read `x` as a host and leave the path `/`, matching every request.
    url = new URL(`http://path-only.invalid${raw}`)
  } catch {
    return fail('not a valid URL path')
  }
  const path = normalisePercentEncoding(url.pathname + url.search)
  if (path === '/') return fail('the path "/" would match every request')
  return ok(path)
}

export function normaliseUrl(raw: string): Result<string> {
  const text = raw.trim()
  if (text === '') return fail('empty URL')
  // A space in a path is sent as %20 and encoded below; in a scheme or host it is an error.
  if (/\s/.test(text.replace(/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//, '').split('/')[0] ?? '')) {
    return fail('whitespace in host')
  }
  if (text.startsWith('/')) return normalisePathOnly(text)
  // Feeds write `host/path` without a scheme; the sensor sees such paths only in cleartext HTTP.
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text) ? text : `http://${text}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    return fail('not a valid URL')
  }
  // Only what travels as an HTTP request can match (ws/wss start as one); without the scheme
  // an ftp:// entry would wrongly match an HTTP request for the same path.
  if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
    return fail(`unsupported scheme ${url.protocol}`)
  }
  const host = url.hostname.startsWith('[')
    ? normaliseIp(url.hostname.slice(1, -1)).ok
      ? url.hostname
      : undefined
    : normaliseIp(url.hostname).ok || normaliseDomain(url.hostname).ok
      ? url.hostname
      : undefined
  if (host === undefined) return fail(`invalid host "${url.hostname}"`)
  // WHATWG already drops the scheme's default port; `:80` also goes because a request's Host
  // header loses it in the sensor's form whatever the scheme.
  const port = url.port === '' || url.port === '80' ? '' : `:${url.port}`
  const path = normalisePercentEncoding(url.pathname + url.search)
  return ok(`${host}${port}${path}`)
}
