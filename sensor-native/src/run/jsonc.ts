/**
 * JSON with comments, for the agent's config file: `//` and `/* *\/` comments are blanked out
 * (newlines kept, so positions and line numbers stay true), then JSON.parse does the rest.
 */
export type JsoncResult =
  | { ok: true; value: unknown; text: string }
  | { ok: false; line: number; message: string }

export function parseJsonc(source: string): JsoncResult {
  const text = blankComments(source)
  try {
    return { ok: true, value: JSON.parse(text), text }
  } catch (err) {
    const message = (err as Error).message.replace(/ in JSON at position \d+.*$/, '')
    return { ok: false, line: lineAt(text, errorOffset(text)), message }
  }
}

/**
 * Where JSON.parse fails, found by bisection because V8 does not always say: a prefix that ends
 * before the error fails only at its own end, one that contains it fails inside.
 */
function errorOffset(text: string): number {
  const failsInside = (n: number) => {
    try {
      JSON.parse(text.slice(0, n))
      return false
    } catch (err) {
      const message = (err as Error).message
      const at = /position (\d+)/.exec(message)
      if (at) return Number(at[1]) < n
      return !/end of (JSON )?input/i.test(message)
    }
  }
  let lo = 0
  let hi = text.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (failsInside(mid)) hi = mid
    else lo = mid + 1
  }
  return Math.max(0, lo - 1)
}

/** 1-based line of the first `"key":` in the text, for error messages; 1 when not found. */
export function lineOfKey(text: string, key: string): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`"${escaped}"\\s*:`).exec(text)
  return m ? lineAt(text, m.index) : 1
}

function lineAt(text: string, index: number): number {
  let line = 1
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) line++
  return line
}

function blankComments(source: string): string {
  let out = ''
  let i = 0
  let inString = false
  while (i < source.length) {
    const c = source[i] as string
    const next = source[i + 1]
    if (inString) {
      out += c
      if (c === '\\') {
        out += next ?? ''
        i += 2
        continue
      }
      if (c === '"') inString = false
      i++
    } else if (c === '"') {
      inString = true
      out += c
      i++
    } else if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') {
        out += ' '
        i++
      }
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2)
      const stop = end === -1 ? source.length : end + 2
      for (; i < stop; i++) out += source[i] === '\n' ? '\n' : ' '
    } else {
      out += c
      i++
    }
  }
  return out
}
