// IR → closures. Workers forbid eval/new Function, so every node becomes a small closure built
// once per pack; field paths become accessors and constant sets become Sets up front.
//
// Null semantics (one rule, everywhere): an absent field makes every comparison, `in`, intel and
// function test false, including `!=`. `not` then inverts that, so `not x == 1` holds when x is
// absent. Use `exists(x)` to ask for presence.
import { FIELD_GETTERS, KIND_FIELD_GETTERS } from './field-getters.ts'
import { FUNCTION_IMPLS, INTERNAL_FUNCTIONS } from './functions.ts'
import { ipv4Number, parseIp, parsePrefix, prefixContains } from './ip-address.ts'
import type { ExprIR, FieldPath, Literal, ValueIR } from './ir.ts'
import type { SocEvent } from './types.ts'

export type Predicate = (event: SocEvent) => boolean
export type Getter = (event: SocEvent) => unknown

/** A site variable as closures see it: the engine rebinds `value`/`has` per tenant, in place. */
export type VariableSlot = { value: unknown; has: (value: unknown) => boolean }

/** What stateful and tenant-dependent parts of a condition need from the engine running it. */
export type CompileEnv = {
  variable(name: string): VariableSlot
  /** A first_seen site: true when the value is new for the current tenant within the window. */
  firstSeen(window: number): (value: string, ts: number) => boolean
  /**
   * The kind of the events the condition is tested on, when it is one kind: its schema fields
   * are then read by that kind's own getters (KIND_FIELD_GETTERS in field-getters.ts).
   */
  kind?: string
}

// Without an engine there are no tenants: a condition that needs one cannot be compiled.
const NO_ENV: CompileEnv = {
  variable(name) {
    throw new Error(`site variable $${name} needs an engine (createEngine) to be evaluated`)
  },
  firstSeen() {
    throw new Error('first_seen needs an engine (createEngine) to be evaluated')
  },
}

export function compileAccessor(path: FieldPath, kind?: string): Getter {
  return schemaGetter(path, kind) ?? compilePathAccessor(path)
}

/** The getter of a schema field: the one of `kind` when given, else the one of every kind. */
function schemaGetter(path: FieldPath, kind: string | undefined): Getter | undefined {
  const own = kind === undefined ? undefined : KIND_FIELD_GETTERS.get(kind)?.get(path)
  return own ?? FIELD_GETTERS.get(path)
}

/**
 * A getter read by path, never a schema field's own getter: for objects other than events (alert
 * text views), which would add their shapes to the inline caches of the getters the rules use.
 */
export function compilePathAccessor(path: FieldPath): Getter {
  const dot = path.indexOf('.')
  if (dot < 0) return (event) => event[path]
  // Deeper paths name a step of a sequence in alert text: `dl.src.ip`.
  if (path.indexOf('.', dot + 1) >= 0) {
    const parts = path.split('.')
    return (event) => {
      let value: unknown = event
      for (const part of parts) {
        if (typeof value !== 'object' || value === null) return undefined
        value = (value as Record<string, unknown>)[part]
      }
      return value
    }
  }
  const outer = path.slice(0, dot)
  const inner = path.slice(dot + 1)
  return (event) => {
    const parent = event[outer]
    return typeof parent === 'object' && parent !== null
      ? (parent as Record<string, unknown>)[inner]
      : undefined
  }
}

export function compileValue(
  value: ValueIR,
  env: CompileEnv = NO_ENV,
  read: (path: FieldPath) => Getter = (path) => compileAccessor(path, env.kind),
): Getter {
  if ('ref' in value) return read(value.ref)
  if ('lit' in value) {
    const constant = value.lit
    return () => constant
  }
  if ('var' in value) {
    const slot = env.variable(value.var)
    return () => slot.value
  }
  const impl = FUNCTION_IMPLS[value.fn] ?? INTERNAL_FUNCTIONS[value.fn]
  if (impl === undefined) throw new Error(`unknown function ${value.fn}`)
  const args = value.args.map((arg) => compileValue(arg, env, read))
  // Fixed arities without per-call arrays: these run once per rule per event.
  const [first, second] = args as [Getter, Getter]
  if (args.length === 1) return (event) => impl(first(event))
  if (args.length === 2) return (event) => impl(first(event), second(event))
  return (event) => impl(...args.map((arg) => arg(event)))
}

/**
 * The operands of and/or, cheapest test first (a field compared with a constant before a regex):
 * the result is the same, since tests are pure, and a cheap false (true for or) skips the rest.
 * Not when first_seen is among them: it remembers what it sees, so where it stands matters.
 */
export function cheapestFirst(args: ExprIR[]): ExprIR[] {
  if (args.some(hasState)) return args
  const costs = args.map(costOf)
  return args
    .map((arg, i) => ({ arg, cost: costs[i] ?? 0, i }))
    .sort((a, b) => a.cost - b.cost || a.i - b.i)
    .map((entry) => entry.arg)
}

/** True when evaluating `expr` changes state (first_seen records what it sees). */
export function hasState(expr: ExprIR): boolean {
  if (expr.op === 'first_seen') return true
  if (expr.op === 'and' || expr.op === 'or') return expr.args.some(hasState)
  if (expr.op === 'not') return hasState(expr.arg)
  return false
}

function valueCost(value: ValueIR): number {
  if ('fn' in value) return 4 + value.args.reduce((sum, arg) => sum + valueCost(arg), 0)
  return 0
}

function costOf(expr: ExprIR): number {
  switch (expr.op) {
    case 'const':
      return 0
    case 'exists':
      return 1
    case 'cmp':
      return 1 + valueCost(expr.left) + valueCost(expr.right)
    case 'intel':
    case 'signatures':
      return 2
    case 'in':
      return 2 + valueCost(expr.value)
    case 'cidr':
    case 'in_var':
      return 3 + valueCost(expr.value)
    case 'match':
      return 10 + valueCost(expr.value)
    case 'first_seen':
      return 20
    case 'not':
      return costOf(expr.arg)
    case 'and':
    case 'or':
      return expr.args.reduce((sum, arg) => sum + costOf(arg), 0)
  }
}

/** A rule's key or group value: a field path (the common case) or a computed value. */
export function compileKey(key: FieldPath | ValueIR, env: CompileEnv = NO_ENV): Getter {
  return typeof key === 'string' ? compileAccessor(key, env.kind) : compileValue(key, env)
}

export function compileExpr(expr: ExprIR, env: CompileEnv = NO_ENV): Predicate {
  switch (expr.op) {
    case 'const': {
      const constant = expr.value
      return () => constant
    }
    // Two to six operands as one expression: no loop, no array read per operand.
    case 'and': {
      const parts = cheapestFirst(expr.args).map((arg) => compileExpr(arg, env))
      const [a, b, c, d, e, f] = parts as Predicate[] as [
        Predicate,
        Predicate,
        Predicate,
        Predicate,
        Predicate,
        Predicate,
      ]
      if (parts.length === 2) return (event) => a(event) && b(event)
      if (parts.length === 3) return (event) => a(event) && b(event) && c(event)
      if (parts.length === 4) return (event) => a(event) && b(event) && c(event) && d(event)
      if (parts.length === 5)
        return (event) => a(event) && b(event) && c(event) && d(event) && e(event)
      if (parts.length === 6)
        return (event) => a(event) && b(event) && c(event) && d(event) && e(event) && f(event)
      return (event) => {
        for (let i = 0; i < parts.length; i++) if (!(parts[i] as Predicate)(event)) return false
        return true
      }
    }
    case 'or': {
      const parts = cheapestFirst(expr.args).map((arg) => compileExpr(arg, env))
      const [a, b, c] = parts as [Predicate, Predicate, Predicate]
      if (parts.length === 2) return (event) => a(event) || b(event)
      if (parts.length === 3) return (event) => a(event) || b(event) || c(event)
      return (event) => {
        for (let i = 0; i < parts.length; i++) if ((parts[i] as Predicate)(event)) return true
        return false
      }
    }
    case 'not': {
      const inner = compileExpr(expr.arg, env)
      return (event) => !inner(event)
    }
    case 'exists': {
      const get = compileAccessor(expr.field, env.kind)
      return (event) => isPresent(get(event))
    }
    case 'cmp':
      if ('lit' in expr.right) {
        const fused =
          'ref' in expr.left && fieldCompare(expr.cmp, expr.left.ref, expr.right.lit, env.kind)
        if (fused) return fused
        return compileCompareConstant(expr.cmp, compileValue(expr.left, env), expr.right.lit)
      }
      return compileCompare(expr.cmp, compileValue(expr.left, env), compileValue(expr.right, env))
    case 'in_var': {
      const get = compileValue(expr.value, env)
      const slot = env.variable(expr.var)
      return (event) => {
        const value = get(event)
        if (Array.isArray(value)) return value.some((v) => slot.has(v))
        return isPresent(value) && slot.has(value)
      }
    }
    case 'first_seen': {
      const get = compileValue(expr.value, env)
      const seen = env.firstSeen(expr.window)
      return (event) => {
        const value = get(event)
        if (typeof value === 'string') return seen(value, event.ts)
        if (typeof value === 'number' || typeof value === 'boolean')
          return seen(String(value), event.ts)
        return false
      }
    }
    case 'in': {
      const set = new Set<Literal>(expr.set)
      const member = (v: unknown) => set.has(v as Literal)
      if ('ref' in expr.value) {
        const fused = fieldIn(expr.value.ref, set, member, env.kind)
        if (fused) return fused
      }
      const get = compileValue(expr.value, env)
      // A list field (e.g. dns answers) is in the set when any of its elements is.
      return (event) => {
        const value = get(event)
        if (typeof value === 'string' || typeof value === 'number') return set.has(value)
        return anyElement(value, member)
      }
    }
    case 'cidr': {
      const get = compileValue(expr.value, env)
      const test = cidrTest(expr.cidrs)
      return (event) => anyElement(get(event), test)
    }
    case 'match': {
      const get = compileValue(expr.value, env)
      const regex = new RegExp(expr.pattern, expr.flags)
      const test = (value: unknown) => typeof value === 'string' && regex.test(value)
      return (event) => anyElement(get(event), test)
    }
    case 'signatures': {
      const { set } = expr
      return (event) => event.set === set
    }
    case 'intel': {
      const { field, list } = expr
      return (event) => {
        const hits = event.hits
        if (!Array.isArray(hits)) return false
        for (const hit of hits) {
          if (typeof hit === 'object' && hit !== null && hit.list === list && hit.field === field)
            return true
        }
        return false
      }
    }
  }
}

// The most common tests, `field == constant`, `field in [...]` and `field >= number`, read the
// field themselves rather than through an accessor closure: one call per test instead of two
// (these run for every rule on every event of its kind). Except `==` on a schema field: its own
// getter (field-getters.ts) reads it with an inline-cached load, where a read in place here is a
// megamorphic one (worth the second call; for ordering it made no difference). Same
// results as the general forms: an absent field, or a non-object where an object should be, is
// never equal, in or ordered.
// Undefined: the general form is used (deeper paths, other operators).

function fieldCompare(
  op: string,
  path: FieldPath,
  constant: Literal,
  kind: string | undefined,
): Predicate | undefined {
  const names = path.split('.')
  if (names.length > 2) return undefined
  const [outer, inner] = names as [string, string | undefined]
  if (op === '==') {
    const known = schemaGetter(path, kind)
    if (known !== undefined) return (event) => known(event) === constant
    if (inner === undefined) return (event) => event[outer] === constant
    return (event) => {
      const parent = event[outer]
      return typeof parent === 'object' && parent !== null && (parent as Fields)[inner] === constant
    }
  }
  // Ordering holds between two numbers or two strings only (see `ordered`).
  if (typeof constant !== 'number') return undefined
  // A schema field through its own getter, as for `==` above: an inline-cached load where a read
  // in place is megamorphic. The reads in place below are for other fields (`when`'s aggregates).
  const known = schemaGetter(path, kind)
  if (known !== undefined) return orderedBy(op, known, constant)
  if (inner !== undefined) return undefined
  switch (op) {
    case '>=':
      return (event) => {
        const value = event[outer]
        return typeof value === 'number' && value >= constant
      }
    case '>':
      return (event) => {
        const value = event[outer]
        return typeof value === 'number' && value > constant
      }
    case '<=':
      return (event) => {
        const value = event[outer]
        return typeof value === 'number' && value <= constant
      }
    case '<':
      return (event) => {
        const value = event[outer]
        return typeof value === 'number' && value < constant
      }
    default:
      return undefined
  }
}

function orderedBy(op: string, get: Getter, constant: number): Predicate | undefined {
  switch (op) {
    case '>=':
      return (event) => {
        const value = get(event)
        return typeof value === 'number' && value >= constant
      }
    case '>':
      return (event) => {
        const value = get(event)
        return typeof value === 'number' && value > constant
      }
    case '<=':
      return (event) => {
        const value = get(event)
        return typeof value === 'number' && value <= constant
      }
    case '<':
      return (event) => {
        const value = get(event)
        return typeof value === 'number' && value < constant
      }
    default:
      return undefined
  }
}

function fieldIn(
  path: FieldPath,
  set: Set<Literal>,
  member: (value: unknown) => boolean,
  kind: string | undefined,
): Predicate | undefined {
  const names = path.split('.')
  if (names.length > 2) return undefined
  const [outer, inner] = names as [string, string | undefined]
  const test = (value: unknown) =>
    typeof value === 'string' || typeof value === 'number'
      ? set.has(value)
      : anyElement(value, member)
  // A schema field through its own getter, as for `==` above: an inline-cached load where the
  // reads below are megamorphic (one function literal for every `in` of the pack). An absent
  // field reads undefined, which `test` finds in no set, as the reads below do.
  const known = schemaGetter(path, kind)
  if (known !== undefined) return (event) => test(known(event))
  if (inner === undefined) return (event) => test(event[outer])
  return (event) => {
    const parent = event[outer]
    return typeof parent === 'object' && parent !== null && test((parent as Fields)[inner])
  }
}

type Fields = Record<string, unknown>

// Many prefix rules test the same address of one event in a row: parse it once. Comparing the
// string with the last one is cheap (usually the very same string object).
let lastAddress: string | undefined
let lastNumber: number | undefined
function cachedIpv4(text: string): number | undefined {
  if (text !== lastAddress) {
    lastAddress = text
    lastNumber = ipv4Number(text)
  }
  return lastNumber
}

/** Membership of an address in prefixes as written (`10.0.0.0/8`, `fc00::/7`, bare addresses). */
export function cidrTest(cidrs: readonly string[]): (value: unknown) => boolean {
  const prefixes = cidrs.map((text) => {
    const prefix = parsePrefix(text)
    if (prefix === undefined) throw new Error(`not an address or prefix: ${text}`)
    return prefix
  })
  // IPv4 prefixes as (network, mask) numbers: the common case tests without allocating.
  const v4 = prefixes
    .filter((p) => p.v === 4)
    .map((p) => {
      const mask = p.length === 0 ? 0 : (0xffffffff << (32 - p.length)) >>> 0
      return { net: ((((p.words[0] ?? 0) << 16) | (p.words[1] ?? 0)) & mask) >>> 0, mask }
    })
  const v6 = prefixes.filter((p) => p.v === 6)
  return (value: unknown): boolean => {
    if (typeof value !== 'string') return false
    const number = cachedIpv4(value)
    if (number !== undefined) {
      for (const p of v4) if ((number & p.mask) >>> 0 === p.net) return true
      return false
    }
    if (v6.length === 0 && !value.includes('.')) return false
    const address = parseIp(value)
    return address !== undefined && prefixes.some((prefix) => prefixContains(prefix, address))
  }
}

// The common shape `field OP constant`, without a generic comparison call per event. The
// constant is never absent, so `===` against an absent field is false as the null rule says.
function compileCompareConstant(op: string, left: Getter, constant: Literal): Predicate {
  switch (op) {
    case '==':
      return (event) => left(event) === constant
    case '!=':
      return (event) => {
        const a = left(event)
        return a !== undefined && a !== null && a !== constant
      }
    default: {
      const test = COMPARISONS[op]
      if (test === undefined) throw new Error(`unknown comparison ${op}`)
      const kind = typeof constant
      return (event) => {
        const a = left(event)
        return typeof a === kind && test(a, constant)
      }
    }
  }
}

function compileCompare(op: string, left: Getter, right: Getter): Predicate {
  const test = COMPARISONS[op]
  if (test === undefined) throw new Error(`unknown comparison ${op}`)
  return (event) => {
    const a = left(event)
    if (!isPresent(a)) return false
    const b = right(event)
    if (!isPresent(b)) return false
    return test(a, b)
  }
}

// Ordering compares numbers with numbers and strings with strings; mixed types are false.
const ordered =
  (test: (a: number | string, b: number | string) => boolean) => (a: unknown, b: unknown) =>
    (typeof a === 'number' && typeof b === 'number') ||
    (typeof a === 'string' && typeof b === 'string')
      ? test(a, b)
      : false

const COMPARISONS: Record<string, (a: unknown, b: unknown) => boolean> = {
  '==': (a, b) => a === b,
  '!=': (a, b) => a !== b,
  '<': ordered((a, b) => a < b),
  '<=': ordered((a, b) => a <= b),
  '>': ordered((a, b) => a > b),
  '>=': ordered((a, b) => a >= b),
}

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null
}

function anyElement(value: unknown, test: (v: unknown) => boolean): boolean {
  if (!isPresent(value)) return false
  if (Array.isArray(value)) return value.some(test)
  return test(value)
}
