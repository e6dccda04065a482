// Built-in functions of the language. Signatures are pure data so the checker can type calls;
// implementations are plain closures (no eval), shared by every compiled rule.

export type ValueType = 'string' | 'number' | 'bool' | 'ip' | 'string[]'

export type FunctionSignature = {
  params: ValueType[]
  returns: ValueType
  doc: string
}

type Impl = (...args: unknown[]) => unknown

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
  contains: (a, b) => both(a, b, (x, y) => x.includes(y)),
  starts_with: (a, b) => both(a, b, (x, y) => x.startsWith(y)),
  ends_with: (a, b) => both(a, b, (x, y) => x.endsWith(y)),
  entropy: (s) => {
    const text = str(s)
    if (text === undefined || text.length === 0) return text === undefined ? undefined : 0
    const counts = new Map<string, number>()
    for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1)
    const length = [...text].length
    let bits = 0
    for (const count of counts.values()) bits -= (count / length) * Math.log2(count / length)
    return bits
  },
  size: (list) => (Array.isArray(list) ? list.length : undefined),
  last_labels: (name, n) => {
    const text = str(name)
    if (text === undefined || typeof n !== 'number' || n < 1) return undefined
    return text.split('.').slice(-Math.floor(n)).join('.')
  },
}

function both(
  a: unknown,
  b: unknown,
  test: (a: string, b: string) => boolean,
): boolean | undefined {
  const x = str(a)
  const y = str(b)
  return x === undefined || y === undefined ? undefined : test(x, y)
}
