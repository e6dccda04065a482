// Second index level after the event kind: a rule whose condition can only hold when one field
// equals one of a few constants (`query == "x"`, `dst.port in [4444, 8443]`, and-ed with
// anything, or an `or` of such on one field) is filed under those constants, so an event meets
// only the rules filed under its own values, plus the rules that have no such field. A rule that
// needs an intel hit is filed under the hit's list (most events carry none). Same results as
// trying every rule: the index only skips rules whose condition is false.
//
// A rule often pins several fields (`proto == "tcp" and dst.port in [139, 445] and state ==
// "RSTR"`); the index files it under the one whose constants the traffic holds least often.
// Which that is depends on the network (most connections are tcp; scans are mostly S0), so the
// index starts from a guess by the shape of the constants and, after the first events of its
// kind, counts how often each pinned field held a pinned value and files every rule anew under
// its rarest. That changes which rules are tried, never which match: results stay the same.
import { compileAccessor, type Getter, hasState } from './compile-expr.ts'
import type { ExprIR, Literal } from './ir.ts'
import type { SocEvent } from './types.ts'

export type KeyConstraint = { path: string; values: Literal[] }

/**
 * Every field and the constants one of which it must equal for `expr` to hold. Of an `and`,
 * only the operands before the first one that keeps state (first_seen): skipping the rule must
 * not skip a first_seen that would have recorded its value.
 */
export function keyConstraints(expr: ExprIR): KeyConstraint[] {
  switch (expr.op) {
    case 'cmp': {
      if (expr.cmp !== '==') return []
      if ('ref' in expr.left && 'lit' in expr.right)
        return [{ path: expr.left.ref, values: [expr.right.lit] }]
      if ('lit' in expr.left && 'ref' in expr.right)
        return [{ path: expr.right.ref, values: [expr.left.lit] }]
      return []
    }
    case 'intel':
      return [{ path: HIT_LISTS, values: [expr.list] }]
    case 'in':
      return 'ref' in expr.value && expr.set.length > 0
        ? [{ path: expr.value.ref, values: [...new Set(expr.set)] }]
        : []
    case 'and': {
      const found: KeyConstraint[] = []
      for (const arg of expr.args) {
        if (hasState(arg)) break
        found.push(...keyConstraints(arg))
      }
      return found
    }
    case 'or': {
      // An `or` of constraints on one field: the union of their values (each arg's best).
      const parts = expr.args.map((arg) => keyConstraint(arg))
      const [first] = parts
      if (first === undefined || parts.some((p) => p === undefined || p.path !== first.path))
        return []
      return [{ path: first.path, values: [...new Set(parts.flatMap((p) => p?.values ?? []))] }]
    }
    default:
      return []
  }
}

/**
 * A pseudo field: the lists of the event's intel hits. `intel(list)` holds only when it has one
 * (most events have none, so it is the best key there is).
 */
export const HIT_LISTS = '#hits'

function hitLists(event: SocEvent): unknown {
  const hits = event.hits
  if (!Array.isArray(hits) || hits.length === 0) return undefined
  const lists: unknown[] = []
  for (const hit of hits)
    if (typeof hit === 'object' && hit !== null) lists.push((hit as { list?: unknown }).list)
  return lists
}

const accessorOf = (path: string, kind: string | undefined): Getter =>
  path === HIT_LISTS ? hitLists : compileAccessor(path, kind)

/** The constraint that looks narrowest by the shape of its constants alone, if there is one. */
export function keyConstraint(expr: ExprIR): KeyConstraint | undefined {
  return cheapest(keyConstraints(expr), guessedCost)
}

/** The option of least cost; of equal costs, the one the guess prefers, then the first. */
function cheapest(
  options: KeyConstraint[],
  cost: (option: KeyConstraint) => number,
): KeyConstraint | undefined {
  let best: KeyConstraint | undefined
  let bestCost = 0
  for (const option of options) {
    const c = cost(option)
    if (
      best === undefined ||
      c < bestCost ||
      (c === bestCost && guessedCost(option) < guessedCost(best))
    ) {
      best = option
      bestCost = c
    }
  }
  return best
}

// Before any traffic is seen: fewer values narrow more; a flag, or a code of a small closed set
// (state SF, rcode NXDOMAIN, method POST: upper-case words in the schema), is a poor key, since
// most events share its few values.
function guessedCost(constraint: KeyConstraint): number {
  if (constraint.path === HIT_LISTS) return 0
  const flag = constraint.values.every((v) => typeof v === 'boolean')
  const code = constraint.values.every((v) => typeof v === 'string' && /^[A-Z][A-Z0-9_]*$/.test(v))
  return constraint.values.length + (flag ? 10_000 : 0) + (code ? 1_000 : 0)
}

/** Events of a kind counted before the index files its rules by what the traffic held. */
export const LEARN_EVENTS = 1000

export type KeyedRules<T> = {
  path: string
  get: Getter
  byValue: Map<unknown, T[]>
  all: T[]
  /** Mask mode (see RuleIndex.ordered): the rules of each value, and all, as bits. */
  masks: Map<unknown, number>
  allMask: number
  /**
   * The masks of `true` and `false` (0 when no rule names them), read without the Map: flags
   * (`src.internal == true`) are keys of many rules, and a Map lookup costs more than the test.
   */
  onTrue: number
  onFalse: number
}

/** Rules an index can hold as the bits of one 32-bit number (the sign bit left alone). */
const MASK_RULES = 31

type Filed<T> = { rule: T; options: KeyConstraint[] }

/** How often each pinned value of one field was seen. */
type Tally = { get: Getter; counts: Map<unknown, number> }

const NONE: never[] = []

/** What the index needs of a rule: its place in the order alerts come out in. */
export type Ordered = { order: number }

/**
 * The rules of one event kind, filed by the value of a field. `candidates` gives the rules an
 * event may match, in the order of their `order` (the order their alerts come out in).
 */
export class RuleIndex<T extends Ordered> {
  /** Rules to try on every event of the kind. */
  always: T[] = []
  fields: KeyedRules<T>[] = []
  /**
   * Mask mode, when the kind has at most MASK_RULES rules of distinct order: its rules by order,
   * rule i being bit i of the masks. An event's candidates are then the bits or-ed together from
   * `always` and its fields' values, read out lowest first: in order and each once, without the
   * merge, duplicate test and sort of lists (this runs for every event).
   */
  private readonly ordered: T[] | undefined
  private alwaysMask = 0
  private readonly filed: Filed<T>[]
  private tallies: Map<string, Tally> | undefined
  private toLearn: number

  /** `kind`: the kind of all events it is asked about, if one (its fields read by its getters). */
  private readonly kind: string | undefined

  constructor(
    rules: readonly T[],
    whereOf: (rule: T) => ExprIR,
    learnAfter = LEARN_EVENTS,
    kind?: string,
  ) {
    this.kind = kind
    this.filed = rules.map((rule) => ({ rule, options: keyConstraints(whereOf(rule)) }))
    const ordered = rules
      .map((rule, i) => ({ rule, i }))
      .sort((a, b) => a.rule.order - b.rule.order || a.i - b.i)
    const distinct = ordered.every(
      (entry, i) => i === 0 || (ordered[i - 1] as { rule: T }).rule.order !== entry.rule.order,
    )
    this.ordered =
      rules.length <= MASK_RULES && distinct ? ordered.map((entry) => entry.rule) : undefined
    this.file((options) => cheapest(options, guessedCost))
    this.toLearn = learnAfter
    // Only worth learning when some rule has a choice to make.
    if (this.filed.some((entry) => entry.options.length > 1)) {
      this.tallies = new Map()
      for (const { options } of this.filed)
        for (const option of options) {
          let tally = this.tallies.get(option.path)
          if (tally === undefined) {
            tally = { get: accessorOf(option.path, kind), counts: new Map() }
            this.tallies.set(option.path, tally)
          }
          for (const value of option.values) tally.counts.set(value, 0)
        }
    }
  }

  /**
   * Writes the rules `event` may match to `out[0…n)`, in order, and returns n. (`out`
   * is never shortened: truncating an array gives up its storage, and this runs per event.)
   */
  candidates(event: SocEvent, out: T[]): number {
    const ordered = this.ordered
    if (ordered !== undefined) {
      let mask = this.alwaysMask
      const fields = this.fields
      for (let f = 0; f < fields.length; f++) mask |= keyedMask(fields[f] as KeyedRules<T>, event)
      let n = 0
      while (mask !== 0) {
        const lowest = mask & -mask
        out[n++] = ordered[31 - Math.clz32(lowest)] as T
        mask ^= lowest
      }
      if (this.tallies !== undefined) this.learn(event)
      return n
    }
    let n = 0
    const always = this.always
    for (let i = 0; i < always.length; i++) out[n++] = always[i] as T
    const fields = this.fields
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f] as KeyedRules<T>
      const from = n
      const rules = keyedCandidates(field, event)
      for (let i = 0; i < rules.length; i++) {
        const rule = rules[i] as T
        if (n === from || !includes(out, from, n, rule)) out[n++] = rule
      }
    }
    if (n > 1 && fields.length > 0) this.sort(out, n)
    if (this.tallies !== undefined) this.learn(event)
    return n
  }

  // Insertion sort: a few rules, mostly in order already.
  private sort(out: T[], n: number): void {
    for (let i = 1; i < n; i++) {
      const rule = out[i] as T
      const at = rule.order
      let j = i - 1
      while (j >= 0 && (out[j] as T).order > at) {
        out[j + 1] = out[j] as T
        j--
      }
      out[j + 1] = rule
    }
  }

  private learn(event: SocEvent): void {
    const tallies = this.tallies as Map<string, Tally>
    for (const tally of tallies.values()) {
      let value: unknown
      try {
        value = tally.get(event)
      } catch {
        continue
      }
      if (Array.isArray(value)) for (const element of new Set(value)) count(tally, element)
      else count(tally, value)
    }
    if (--this.toLearn > 0) return
    this.tallies = undefined
    // Each rule under the field whose pinned values were seen least often; ties by the guess.
    const seen = (option: KeyConstraint) => {
      const counts = (tallies.get(option.path) as Tally).counts
      let sum = 0
      for (const value of option.values) sum += counts.get(value) ?? 0
      return sum
    }
    this.file((options) => cheapest(options, seen))
  }

  private file(choose: (options: KeyConstraint[]) => KeyConstraint | undefined): void {
    const always: T[] = []
    const keyed = new Map<string, KeyedRules<T>>()
    for (const { rule, options } of this.filed) {
      const constraint = choose(options)
      if (constraint === undefined) {
        always.push(rule)
        continue
      }
      let field = keyed.get(constraint.path)
      if (field === undefined) {
        field = {
          path: constraint.path,
          get: accessorOf(constraint.path, this.kind),
          byValue: new Map(),
          all: [],
          masks: new Map(),
          allMask: 0,
          onTrue: 0,
          onFalse: 0,
        }
        keyed.set(constraint.path, field)
      }
      field.all.push(rule)
      for (const value of constraint.values) {
        const list = field.byValue.get(value)
        if (list) list.push(rule)
        else field.byValue.set(value, [rule])
      }
    }
    this.always = always
    this.fields = [...keyed.values()]
    const ordered = this.ordered
    if (ordered === undefined) return
    const bit = (rule: T) => 1 << ordered.indexOf(rule)
    this.alwaysMask = always.reduce((mask, rule) => mask | bit(rule), 0)
    for (const field of this.fields) {
      field.allMask = field.all.reduce((mask, rule) => mask | bit(rule), 0)
      for (const [value, rules] of field.byValue)
        field.masks.set(
          value,
          rules.reduce((mask, rule) => mask | bit(rule), 0),
        )
      field.onTrue = field.masks.get(true) ?? 0
      field.onFalse = field.masks.get(false) ?? 0
    }
  }
}

function includes<T>(list: T[], from: number, to: number, item: T): boolean {
  for (let i = from; i < to; i++) if (list[i] === item) return true
  return false
}

function count(tally: Tally, value: unknown): void {
  const known = tally.counts.get(value)
  if (known !== undefined) tally.counts.set(value, known + 1)
}

/** keyedCandidates as bits (mask mode). */
function keyedMask<T>(field: KeyedRules<T>, event: SocEvent): number {
  let value: unknown
  try {
    value = field.get(event)
  } catch {
    return field.allMask
  }
  if (value === undefined || value === null) return 0
  if (value === true) return field.onTrue
  if (value === false) return field.onFalse
  if (!Array.isArray(value)) return field.masks.get(value) ?? 0
  let mask = 0
  for (let i = 0; i < value.length; i++) mask |= field.masks.get(value[i]) ?? 0
  return mask
}

/**
 * The rules of `field` an event may match. A list value (dns answers) matches `in` when any
 * element does, so each element's rules, each once. A field that throws gives all its rules,
 * which then fail on their own and are counted per rule.
 */
export function keyedCandidates<T>(field: KeyedRules<T>, event: SocEvent): readonly T[] {
  let value: unknown
  try {
    value = field.get(event)
  } catch {
    return field.all
  }
  if (value === undefined || value === null) return NONE
  if (!Array.isArray(value)) return field.byValue.get(value) ?? NONE
  const found: T[] = []
  for (const element of value)
    for (const rule of field.byValue.get(element) ?? NONE)
      if (!found.includes(rule)) found.push(rule)
  return found
}
