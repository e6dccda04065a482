/**
 * Readers for config values that may come from a file (JSON types) or from a flag or the
 * environment (strings). Each returns the value or a problem with a way to fix it.
 */
export type Read<T> = { ok: true; value: T } | { ok: false; problem: string; fix: string }

const ok = <T>(value: T): Read<T> => ({ ok: true, value })
const bad = (problem: string, fix: string): Read<never> => ({ ok: false, problem, fix })

export function readUrl(raw: unknown): Read<string> {
  const text = String(raw)
  if (!/^https?:\/\/[^\s/]+/.test(text)) {
    return bad(
      `"${text}" is not an http(s) URL`,
      'give the edge base URL, e.g. http://127.0.0.1:8787',
    )
  }
  return ok(text.replace(/\/+$/, ''))
}

export function readText(raw: unknown): Read<string> {
  if (typeof raw !== 'string' || raw.trim() === '')
    return bad('must be a non-empty string', 'set a value')
  return ok(raw.trim())
}

export function readInteger(min: number, max: number) {
  return (raw: unknown): Read<number> => {
    const n = typeof raw === 'number' ? raw : Number(String(raw).replace(/_/g, ''))
    if (!Number.isInteger(n) || n < min || n > max) {
      return bad(
        `${JSON.stringify(raw)} is not a whole number from ${min} to ${max}`,
        `use e.g. ${min}`,
      )
    }
    return ok(n)
  }
}

export function readNumber(min: number, max: number) {
  return (raw: unknown): Read<number> => {
    const n = typeof raw === 'number' ? raw : Number(raw)
    if (!Number.isFinite(n) || n < min || n > max) {
      return bad(`${JSON.stringify(raw)} is not a number from ${min} to ${max}`, `use e.g. ${min}`)
    }
    return ok(n)
  }
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
}

/** Bytes: a number, or text such as `512MiB`, `2GB`. */
export function readSize(min: number) {
  return (raw: unknown): Read<number> => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(String(raw))
    const unit = SIZE_UNITS[m?.[2]?.toLowerCase() ?? 'x']
    if (!m || unit === undefined) {
      return bad(
        `${JSON.stringify(raw)} is not a size`,
        'write bytes or a size such as 512MiB or 2GiB',
      )
    }
    const bytes = Math.floor(Number(m[1]) * unit)
    if (bytes < min) return bad(`${bytes} bytes is too small`, `give at least ${min} bytes`)
    return ok(bytes)
  }
}

const DURATION_UNITS: Record<string, number> = { '': 1, ms: 1, s: 1000, m: 60_000 }

/** Milliseconds: a number, or text such as `250ms`, `2s`, `1m`. */
export function readDuration(min: number, max: number) {
  return (raw: unknown): Read<number> => {
    const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|)\s*$/.exec(String(raw))
    if (!m) return bad(`${JSON.stringify(raw)} is not a duration`, 'write e.g. 250ms, 2s or 1m')
    const ms = Math.round(Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 1))
    if (ms < min || ms > max) return bad(`${ms} ms is out of range`, `give ${min} ms to ${max} ms`)
    return ok(ms)
  }
}

const CIDR = /^[0-9a-fA-F:.]+\/\d{1,3}$/

/** A list of CIDRs: a JSON array, or text `10.0.0.0/8,192.168.0.0/16`. */
export function readCidrs(raw: unknown): Read<string[]> {
  const list = Array.isArray(raw) ? raw.map(String) : String(raw).split(',')
  const nets = list.map((s) => s.trim()).filter((s) => s !== '')
  const wrong = nets.find((n) => !CIDR.test(n))
  if (nets.length === 0 || wrong !== undefined) {
    return bad(
      wrong ? `"${wrong}" is not a CIDR` : 'the list is empty',
      'list networks such as ["10.0.0.0/8", "192.168.1.0/24"]',
    )
  }
  return ok(nets)
}

/** A duration from `min` to `max`, or 0 (off). */
export function readDurationOrOff(min: number, max: number) {
  const read = readDuration(min, max)
  return (raw: unknown): Read<number> => {
    const zero = readDuration(0, 0)(raw)
    if (zero.ok) return zero
    const got = read(raw)
    if (got.ok) return got
    return bad(got.problem, `give 0 (off) or ${min} ms to ${max} ms`)
  }
}
