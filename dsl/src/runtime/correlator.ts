// One correlation rule's state: events that pass `on … where` are put in event-time order,
// grouped by the `group by` values, aggregated per window, and `when` is tested after each event.
//
// Windows (event time, ms):
// - sliding D: the events of the last D up to the current one; after it fires, the group stays
//   quiet for D, so the next alert needs a window of events that all came after the alert.
// - tumbling D: aligned buckets [k·D, (k+1)·D); fires at most once per bucket.
// - session G: a group's events while each follows the previous within G; fires once per session.
// An event whose group-by field is absent belongs to no group and is not counted.
import { type AggregateState, aggregateStates, createSampler } from './aggregate-state.ts'
import { type CompileEnv, compileExpr, compileValue, type Predicate } from './compile-expr.ts'
import { GroupTable, type Linked } from './group-table.ts'
import type { CorrelationIR, ExprIR, ValueIR } from './ir.ts'
import { createReorderBuffer } from './reorder-buffer.ts'
import type { SocEvent } from './types.ts'

export type Firing = {
  event: SocEvent
  group: unknown[]
  values: (number | undefined)[]
  start: number
}

export type Overflow = { groups: number; events: number; distinct: number; late: number }

export type Correlator = {
  /** `ts`: the event's ts when the caller has read it already (each read is a megamorphic load). */
  push(event: SocEvent, ts?: number): Firing[]
  flush(): Firing[]
  /** Drops and refusals since the last call, by cause. */
  takeOverflow(): Overflow
  groups(): number
}

type Group = Linked & {
  values: unknown[]
  state: AggregateState
  // Sliding windows only: what the window holds of its events, oldest first, as a queue in
  // [head, end) of `times` and `width` field values each in `fields` (see createSampler). The
  // arrays keep their room when the window empties: a quiet group that sees an event now and
  // then reuses it rather than allocating anew.
  times: number[]
  fields: unknown[]
  head: number
  end: number
  window: number
  start: number
  /** The ts of the group's last event; NaN before its first. (Never undefined: a field that
   * holds only numbers stores them in place, one that may hold undefined boxes each store.) */
  last: number
  fired: boolean
  /** Sliding windows: no alert before this ts (one window after the last alert). */
  quietUntil: number
}

const SWEEP_EVERY = 64
// Room for a few samples when a sliding group is made (most groups see few events; an empty
// array would grow to 17 at its first sample). Windows that keep no samples share NO_ROOM.
const INITIAL_ROOM = 4
const NO_ROOM: never[] = []
// Made of doubles (NaN) so the array holds unboxed numbers from the start.
const roomForTimes = (): number[] => [Number.NaN, Number.NaN, Number.NaN, Number.NaN]
// Shared, never written to: most events fire nothing.
const NO_FIRINGS: Firing[] = []
const AGGREGATE_NAMES = Array.from({ length: 16 }, (_, i) => `$${i}`)

export function createCorrelator(ir: CorrelationIR, env?: CompileEnv): Correlator {
  const matches = compileExpr(ir.where, env)
  const keyGetters = ir.groupBy.map((value) => compileValue(value, env))
  // `when` reads the aggregates' view, not an event of the kind.
  const whenEnv = env === undefined ? undefined : { ...env, kind: undefined }
  const when = compileExpr(ir.when, whenEnv)
  const sampler = createSampler(ir.aggregates, env?.kind)
  const width = sampler.width
  const overflow: Overflow = { groups: 0, events: 0, distinct: 0, late: 0 }
  // Refused distinct values are counted straight into `overflow`.
  const newState = aggregateStates(ir.aggregates, ir.limits.distinct, overflow)
  const buffer = createReorderBuffer(ir.lateness, ir.limits.events)
  const groups = new GroupTable<Group>(keyGetters.length)
  // Read per event: plain numbers here rather than a walk through the IR each time.
  const groupLimit = ir.limits.groups
  const eventLimit = ir.limits.events
  const { type, ms } = ir.window
  let sinceSweep = 0

  const fresh = (values: unknown[], ts: number): Group => ({
    older: undefined,
    newer: undefined,
    path: '',
    values,
    state: newState(),
    times: type === 'sliding' ? roomForTimes() : NO_ROOM,
    fields: type === 'sliding' && width > 0 ? new Array(INITIAL_ROOM * width) : NO_ROOM,
    head: 0,
    end: 0,
    window: type === 'tumbling' ? Math.floor(ts / ms) : 0,
    start: type === 'tumbling' ? Math.floor(ts / ms) * ms : ts,
    last: Number.NaN,
    fired: false,
    quietUntil: Number.NEGATIVE_INFINITY,
  })
  // A renewed window (next tumbling bucket, new session) starts over in the same group object,
  // as a fresh one would.
  const renew = (group: Group, ts: number) => {
    group.state = newState()
    group.head = 0
    group.end = 0
    group.window = type === 'tumbling' ? Math.floor(ts / ms) : 0
    group.start = type === 'tumbling' ? Math.floor(ts / ms) * ms : ts
    group.last = Number.NaN
    group.fired = false
    group.quietUntil = Number.NEGATIVE_INFINITY
  }

  const expired = (group: Group, now: number) =>
    type === 'tumbling'
      ? Math.floor(now / ms) !== group.window
      : (Number.isNaN(group.last) ? now : group.last) <= now - ms

  // Groups are kept in the order of their last event, so the expired ones are at the front: a
  // sweep stops at the first live group.
  const sweep = (now: number) => {
    sinceSweep = 0
    for (let group = groups.first(); group !== undefined; group = groups.first()) {
      if (!expired(group, now)) return
      groups.delete(group)
    }
  }
  // One object for every `when` test of this rule: the aggregate values as $0, $1…
  const view: SocEvent = { kind: '', ts: 0 }
  // A `when` that names aggregates only (as the checker has it) reads them from the list of
  // values itself ($1 → index 1): no copy into `view` per event.
  const whenOnValues = onValuesOnly(ir.when, ir.aggregates.length, whenEnv)

  // Reused per event; copied only when a group is created or a rule fires.
  const values: unknown[] = new Array(keyGetters.length)
  const aggregates: (number | undefined)[] = new Array(ir.aggregates.length)
  // Tumbling and session windows keep no samples: the fields of the current event only.
  const scratch: unknown[] = []

  // `ts`: the event's ts, read once by the caller. Events come in many shapes, so every
  // `event.ts` is a megamorphic load (a stub-cache probe each time, never merged with another
  // read of the same field), and this runs for every event of the rule.
  const process = (event: SocEvent, ts: number): Firing | undefined => {
    for (let i = 0; i < keyGetters.length; i++) {
      const value = (keyGetters[i] as (typeof keyGetters)[number])(event)
      if (value === undefined || value === null) return undefined
      values[i] = value
    }
    if (++sinceSweep >= SWEEP_EVERY) sweep(ts)
    let group = groups.find(values)
    if (group === undefined) {
      // (A sweep only deletes: `insert` still has the path `find` worked out.)
      if (groups.size >= groupLimit) sweep(ts)
      if (groups.size >= groupLimit) {
        overflow.groups++
        return undefined
      }
      group = fresh(values.slice(), ts)
      groups.insert(group, group.values)
    } else {
      if (
        (type === 'tumbling' && Math.floor(ts / ms) !== group.window) ||
        (type === 'session' && !Number.isNaN(group.last) && ts - group.last > ms)
      )
        renew(group, ts)
      groups.touch(group)
    }

    // The gap statistics need the previous event of this window, not of an earlier one.
    let previous = group.last
    if (type === 'sliding') {
      const times = group.times
      while (group.head < group.end && (times[group.head] as number) <= ts - ms) evictOldest(group)
      if (group.end - group.head >= eventLimit) {
        evictOldest(group)
        overflow.events++
      }
      previous = group.head < group.end ? (times[group.end - 1] as number) : Number.NaN
      const at = group.end * width
      times[group.end++] = ts
      if (width > 0) sampler.read(event, group.fields, at)
      group.start = times[group.head] as number
      group.state.add(group.fields, at, ts, previous)
    } else {
      if (width > 0) sampler.read(event, scratch, 0)
      group.state.add(scratch, 0, ts, previous)
    }
    group.last = ts

    if (group.fired || ts < group.quietUntil) return undefined
    group.state.valuesInto(aggregates)
    if (whenOnValues !== undefined) {
      if (!whenOnValues(aggregates as unknown as SocEvent)) return undefined
    } else {
      view.ts = ts
      for (let i = 0; i < aggregates.length; i++)
        view[AGGREGATE_NAMES[i] ?? `$${i}`] = aggregates[i]
      if (!when(view)) return undefined
    }
    const firing = { event, group: group.values, values: aggregates.slice(), start: group.start }
    if (type === 'sliding') group.quietUntil = ts + ms
    else group.fired = true
    return firing
  }

  const evictOldest = (group: Group) => {
    const { times, fields } = group
    const ts = times[group.head] as number
    const at = group.head * width
    group.head++
    group.state.remove(
      fields,
      at,
      ts,
      group.head < group.end ? (times[group.head] as number) : Number.NaN,
    )
    for (let i = at; i < at + width; i++) fields[i] = undefined // held no longer than needed
    if (group.head === group.end) {
      group.head = 0
      group.end = 0
    } else if (group.head >= 16 && group.head * 2 >= group.end) {
      // Compacted once the dead front is as long as the rest: amortised O(1) per event.
      times.copyWithin(0, group.head, group.end)
      fields.copyWithin(0, group.head * width, group.end * width)
      group.end -= group.head
      group.head = 0
    }
  }

  let out: Firing[] | undefined
  const release = (event: SocEvent) => {
    const firing = process(event, event.ts)
    if (firing === undefined) return
    if (out === undefined) out = []
    out.push(firing)
  }
  const taken = (): Firing[] => {
    const firings = out ?? NO_FIRINGS
    out = undefined
    return firings
  }

  return {
    push(event, ts = event.ts) {
      if (!matches(event)) return NO_FIRINGS
      // Without lateness and nothing held, the event would pass straight through the buffer.
      const passed = buffer.pass(ts)
      if (passed === undefined) {
        buffer.push(event, release)
        return taken()
      }
      if (!passed) return NO_FIRINGS
      const firing = process(event, ts)
      return firing === undefined ? NO_FIRINGS : [firing]
    },
    flush() {
      buffer.flush(release)
      return taken()
    },
    takeOverflow() {
      const taken = { ...overflow, late: overflow.late + buffer.takeLate() }
      overflow.groups = 0
      overflow.events = 0
      overflow.distinct = 0
      overflow.late = 0
      return taken
    },
    groups: () => groups.size,
  }
}

/**
 * `when` compiled to read the aggregate values from their list (`$1` → element 1), when every
 * field it names is an aggregate `$0`…`$(count-1)`; otherwise undefined (it reads `view`).
 */
export function onValuesOnly(
  when: ExprIR,
  count: number,
  env: CompileEnv | undefined,
): Predicate | undefined {
  let only = true
  const rename = (value: ValueIR): ValueIR => {
    if ('ref' in value) {
      const index = /^\$(0|[1-9][0-9]*)$/.exec(value.ref)?.[1]
      if (index === undefined || Number(index) >= count) only = false
      return { ref: index ?? value.ref }
    }
    if ('fn' in value) return { ...value, args: value.args.map(rename) }
    return value
  }
  const walk = (expr: ExprIR): ExprIR => {
    switch (expr.op) {
      case 'and':
      case 'or':
        return { ...expr, args: expr.args.map(walk) }
      case 'not':
        return { ...expr, arg: walk(expr.arg) }
      case 'cmp':
        return { ...expr, left: rename(expr.left), right: rename(expr.right) }
      case 'in':
      case 'cidr':
      case 'match':
      case 'in_var':
        return { ...expr, value: rename(expr.value) }
      case 'const':
        return expr
      default:
        // exists, intel, signatures, first_seen: not over aggregates
        only = false
        return expr
    }
  }
  const renamed = walk(when)
  return only ? compileExpr(renamed, env) : undefined
}
