// The part of the STIX 2.1 patterning language (spec §9) that is a plain list of indicators:
// `=` (and ISSUBSET for networks) on a domain, address, URL or file/certificate hash, joined by
// OR inside one observation or between observations. AND, FOLLOWEDBY, NOT, other operators and
// qualifiers (WITHIN, REPEATS, START/STOP) describe conditions a list cannot express, so the
// whole pattern is refused with the construct named.
import type { Ioc } from '../model/indicator.ts'
import { fail, ok, type Result } from '../model/result.ts'

export interface PatternTerm {
  ioc: Ioc
  raw: string
  /** Hash algorithm named by the path, e.g. `SHA-256` (checked against the value's length). */
  algorithm?: string
}

type Token = { kind: 'punct' | 'word' | 'string' | 'typed' | 'path' | 'op'; text: string }

function tokenize(pattern: string): Result<Token[]> {
  const tokens: Token[] = []
  let i = 0
  while (i < pattern.length) {
    const char = pattern[i] ?? ''
    if (/\s/.test(char)) {
      i++
    } else if ('[]()'.includes(char)) {
      tokens.push({ kind: 'punct', text: char })
      i++
    } else if (char === "'") {
      let text = ''
      i++
      while (i < pattern.length && pattern[i] !== "'") {
        if (pattern[i] === '\\' && i + 1 < pattern.length) i++
        text += pattern[i]
        i++
      }
      if (i >= pattern.length) return fail('unterminated string literal')
      i++
      tokens.push({ kind: 'string', text })
    } else if (/[=!<>]/.test(char)) {
      const m = /^(=|!=|<=|>=|<|>)/.exec(pattern.slice(i))
      if (!m) return fail(`unexpected "${char}"`)
      tokens.push({ kind: 'op', text: m[1] ?? '' })
      i += m[1]?.length ?? 1
    } else {
      // An object path (`file:hashes.'SHA-256'`) may contain quoted segments; a keyword may not.
      let text = ''
      while (i < pattern.length && !/[\s\]()=!<>]/.test(pattern[i] ?? '')) {
        // `[` opens an observation, except as a list index inside a path (`refs[*]`).
        if (pattern[i] === '[' && !text.includes(':')) break
        if (pattern[i] === '[') {
          const end = pattern.indexOf(']', i)
          if (end === -1) return fail('unterminated list index in path')
          text += pattern.slice(i, end + 1)
          i = end + 1
        } else if (pattern[i] === "'") {
          const end = pattern.indexOf("'", i + 1)
          if (end === -1) return fail('unterminated quoted path segment')
          text += pattern.slice(i, end + 1)
          i = end + 1
        } else {
          text += pattern[i]
          i++
        }
      }
      const kind = /^[tbh]'/.test(text) ? 'typed' : text.includes(':') ? 'path' : 'word'
      tokens.push({ kind, text })
    }
  }
  return ok(tokens)
}

const HASH_PATH = /^(file|x509-certificate|artifact):hashes\.(?:'([^']+)'|([A-Za-z0-9-]+))$/

function termFor(path: string, operator: string, value: string): Result<PatternTerm> {
  const ipPath = path === 'ipv4-addr:value' || path === 'ipv6-addr:value'
  if (operator === 'ISSUBSET' && ipPath) return ok({ ioc: 'ip', raw: value })
  if (operator !== '=') return fail(`operator ${operator} is not a list lookup`)
  if (path === 'domain-name:value') return ok({ ioc: 'domain', raw: value })
  if (ipPath) return ok({ ioc: 'ip', raw: value })
  if (path === 'url:value') return ok({ ioc: 'url', raw: value })
  const hash = HASH_PATH.exec(path)
  if (hash)
    return ok({ ioc: 'hash', raw: value, algorithm: (hash[2] ?? hash[3] ?? '').toUpperCase() })
  return fail(`object path ${path} is not a supported indicator`)
}

class Parser {
  private position = 0
  private readonly tokens: Token[]

  constructor(tokens: Token[]) {
    this.tokens = tokens
  }

  private peek(): Token | undefined {
    return this.tokens[this.position]
  }

  private next(): Token | undefined {
    return this.tokens[this.position++]
  }

  parsePattern(): Result<PatternTerm[]> {
    const terms: PatternTerm[] = []
    for (;;) {
      const observation = this.parseObservation()
      if (!observation.ok) return observation
      terms.push(...observation.value)
      const token = this.peek()
      if (token === undefined || (token.kind === 'punct' && token.text === ')')) return ok(terms)
      if (token.kind === 'word' && token.text === 'OR') {
        this.next()
        continue
      }
      return fail(`${token.text} between observations is not a list lookup`)
    }
  }

  private parseObservation(): Result<PatternTerm[]> {
    const open = this.next()
    if (open?.kind === 'punct' && open.text === '(') {
      const inner = this.parsePattern()
      if (!inner.ok) return inner
      const close = this.next()
      if (close?.text !== ')') return fail('missing ")"')
      return this.refuseQualifier(inner.value)
    }
    if (open?.kind !== 'punct' || open.text !== '[')
      return fail('expected "[" to start an observation')
    const terms: PatternTerm[] = []
    for (;;) {
      const path = this.next()
      if (path?.kind !== 'path')
        return fail(`expected an object path, got ${path ? `"${path.text}"` : 'end of pattern'}`)
      const operator = this.next()
      if (operator === undefined) return fail('missing operator')
      if (operator.kind === 'word' && operator.text === 'NOT')
        return fail('NOT is not a list lookup')
      if (operator.kind === 'word' && operator.text === 'IN') {
        // `IN ('a', 'b')` is a set of values: the same as an OR of `=` comparisons.
        const values = this.parseSet()
        if (!values.ok) return values
        for (const value of values.value) {
          const term = termFor(path.text, '=', value)
          if (!term.ok) return term
          terms.push(term.value)
        }
      } else {
        const value = this.next()
        if (value?.kind !== 'string')
          return fail(`expected a string after ${path.text} ${operator.text}`)
        const term = termFor(path.text, operator.text, value.text)
        if (!term.ok) return term
        terms.push(term.value)
      }
      const joiner = this.next()
      if (joiner?.kind === 'punct' && joiner.text === ']') return this.refuseQualifier(terms)
      if (joiner?.kind === 'word' && joiner.text === 'OR') continue
      if (joiner?.kind === 'word' && joiner.text === 'AND')
        return fail('AND inside an observation is not a list lookup')
      return fail(`unexpected ${joiner ? `"${joiner.text}"` : 'end of pattern'} in an observation`)
    }
  }

  private parseSet(): Result<string[]> {
    if (this.next()?.text !== '(') return fail('expected "(" after IN')
    const values: string[] = []
    for (;;) {
      const value = this.next()
      if (value?.kind !== 'string') return fail('IN takes a list of strings')
      values.push(value.text)
      const separator = this.next()
      if (separator?.text === ')') return ok(values)
      if (separator?.text !== ',') return fail('expected "," or ")" in an IN list')
    }
  }

  private refuseQualifier(terms: PatternTerm[]): Result<PatternTerm[]> {
    const token = this.peek()
    if (token?.kind === 'word' && ['WITHIN', 'REPEATS', 'START', 'STOP'].includes(token.text)) {
      return fail(`qualifier ${token.text} is not a list lookup`)
    }
    return ok(terms)
  }

  atEnd(): boolean {
    return this.position >= this.tokens.length
  }
}

export function parseStixPattern(pattern: string): Result<PatternTerm[]> {
  const tokens = tokenize(pattern)
  if (!tokens.ok) return tokens
  const parser = new Parser(tokens.value)
  const terms = parser.parsePattern()
  if (!terms.ok) return terms
  if (!parser.atEnd()) return fail('unbalanced ")"')
  return terms
}
