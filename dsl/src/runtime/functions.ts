// Built-in functions of the language. Signatures are pure data so the checker can type calls;
// implementations are plain closures (no eval), shared by every compiled rule.
import { parseIp } from './ip-address.ts'

/** `ip[]`, `number[]`: list-typed site variables; `duration`: the window of first_seen. */
export type ValueType =
  | 'string'
  | 'number'
  | 'bool'
  | 'ip'
  | 'string[]'
  | 'ip[]'
  | 'number[]'
  | 'duration'

export type FunctionSignature = {
  params: ValueType[]
  returns: ValueType
  doc: string
}

type Impl = (...args: unknown[]) => unknown

const SEVERITY_RANKS = ['info', 'low', 'medium', 'high', 'critical']

// Counts per code point: an array for ASCII (names are mostly ASCII), a map beyond. Only the
// entries this text touched are read and reset, so a short name costs a short loop. `touched` is
// filled from its start and never shortened (shortening an array gives up its storage, and this
// runs per event).
const asciiCounts = new Uint32Array(128)
const touched: number[] = new Array(128).fill(0)
function entropyOf(text: string): number {
  let other: Map<string, number> | undefined
  let length = 0
  let used = 0
  for (const char of text) {
    length++
    const code = char.charCodeAt(0)
    if (code < 128) {
      if (asciiCounts[code] === 0) touched[used++] = code
      asciiCounts[code] = (asciiCounts[code] ?? 0) + 1
    } else {
      other ??= new Map()
      other.set(char, (other.get(char) ?? 0) + 1)
    }
  }
  let bits = 0
  for (let i = 0; i < used; i++) {
    const code = touched[i] as number
    const p = (asciiCounts[code] ?? 0) / length
    bits -= p * Math.log2(p)
    asciiCounts[code] = 0
  }
  if (other)
    for (const count of other.values()) {
      const p = count / length
      bits -= p * Math.log2(p)
    }
  return bits
}

/** `10.1.2.3`, 24 → `10.1.2.0/24`; IPv6 in full hex words. Absent for a bad address or length. */
function networkOf(text: string, bits: number): string | undefined {
  const address = parseIp(text)
  if (address === undefined || !Number.isInteger(bits) || bits < 0) return undefined
  const max = address.v === 4 ? 32 : 128
  if (bits > max) return undefined
  const words = address.words.map((word, i) => {
    const keep = Math.max(0, Math.min(16, bits - i * 16))
    return keep === 0 ? 0 : word & ((0xffff << (16 - keep)) & 0xffff)
  })
  if (address.v === 4) {
    const [high = 0, low = 0] = words
    return `${high >>> 8}.${high & 255}.${low >>> 8}.${low & 255}/${bits}`
  }
  return `${words.map((w) => w.toString(16)).join(':')}/${bits}`
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)

export const FUNCTION_SIGNATURES: Record<string, FunctionSignature> = {
  lower: { params: ['string'], returns: 'string', doc: 'the string in lower case' },
  upper: { params: ['string'], returns: 'string', doc: 'the string in upper case' },
  len: { params: ['string'], returns: 'number', doc: 'the length of a string in UTF-16 units' },
  contains: {
    params: ['string', 'string'],
    returns: 'bool',
    doc: 'true when the first string contains the second',
  },
  starts_with: {
    params: ['string', 'string'],
    returns: 'bool',
    doc: 'true when the first string starts with the second',
  },
  ends_with: {
    params: ['string', 'string'],
    returns: 'bool',
    doc: 'true when the first string ends with the second',
  },
  entropy: {
    params: ['string'],
    returns: 'number',
    doc: 'Shannon entropy in bits per character: near 2–3 for words, 3.5 and more for random names',
  },
  size: { params: ['string[]'], returns: 'number', doc: 'the number of elements of a list field' },
  parent_domain: {
    params: ['string'],
    returns: 'string',
    doc: 'the name without its first label: parent_domain("a.b.example.com") is "b.example.com" (absent for a single label)',
  },
  cidr_prefix: {
    params: ['ip', 'number'],
    returns: 'string',
    doc: 'the network of an address with that many prefix bits: cidr_prefix("10.1.2.3", 24) is "10.1.2.0/24" (IPv6: up to 128)',
  },
  last_labels: {
    params: ['string', 'number'],
    returns: 'string',
    doc: 'the last N labels of a domain name: last_labels("a.b.example.com", 2) is "example.com"',
  },
}

// Every function returns undefined (absent) when an argument is absent or of the wrong type,
// so absence propagates: `lower(x) == "a"` is false when x is absent, like `x == "a"`.
export const FUNCTION_IMPLS: Record<string, Impl> = {
  lower: (s) => str(s)?.toLowerCase(),
  upper: (s) => str(s)?.toUpperCase(),
  len: (s) => str(s)?.length,
  // Written out rather than through a helper taking a closure: these run per rule per event.
  contains: (a, b) => (typeof a === 'string' && typeof b === 'string' ? a.includes(b) : undefined),
  starts_with: (a, b) =>
    typeof a === 'string' && typeof b === 'string' ? a.startsWith(b) : undefined,
  ends_with: (a, b) => (typeof a === 'string' && typeof b === 'string' ? a.endsWith(b) : undefined),
  entropy: (s) => {
    const text = str(s)
    if (text === undefined || text.length === 0) return text === undefined ? undefined : 0
    return entropyOf(text)
  },
  size: (list) => (Array.isArray(list) ? list.length : undefined),
  parent_domain: (name) => {
    const text = str(name)
    const dot = text === undefined ? -1 : text.indexOf('.')
    return text === undefined || dot < 0 || dot === text.length - 1
      ? undefined
      : text.slice(dot + 1)
  },
  cidr_prefix: (address, bits) => {
    const text = str(address)
    if (text === undefined || typeof bits !== 'number') return undefined
    return networkOf(text, bits)
  },
  last_labels: (name, n) => {
    const text = str(name)
    if (text === undefined || typeof n !== 'number' || n < 1) return undefined
    // The n-th dot from the end, without splitting the name into an array (nor lastIndexOf
    // with a position, a call into the runtime: this runs for every dns event of some rules).
    let at = text.length
    for (let labels = Math.floor(n); labels > 0; labels--) {
      if (at === 0) return text
      at--
      while (at >= 0 && text.charCodeAt(at) !== DOT) at--
      if (at < 0) return text
    }
    return text.slice(at + 1)
  },
}

const DOT = 46 // '.'

/** Functions the checker emits itself, never written in a rule (so not in the reference). */
export const INTERNAL_FUNCTIONS: Record<string, Impl> = {
  // Policies: severity levels compare in order, info < low < … < critical.
  severity_rank: (level) => {
    const rank = typeof level === 'string' ? SEVERITY_RANKS.indexOf(level) : -1
    return rank < 0 ? undefined : rank
  },
}
