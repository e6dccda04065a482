// One correlation rule's state: events that pass `on … where` are put in event-time order,
// grouped by the `group by` values, aggregated per window, and `when` is tested after each event.
//
// Windows (event time, ms):
// - sliding D: the events of the last D up to the current one; after it fires, the group stays
//   quiet for D, so the next alert needs a window of events that all came after the alert.
// - tumbling D: aligned buckets [k·D, (k+1)·D); fires at most once per bucket.
// - session G: a group's events while each follows the previous within G; fires once per session.
// An event whose group-by field is absent belongs to no group and is not counted.
import {
  type AggregateState,
  createAggregateState,
  createSampler,
  type Sample,
} from './aggregate-state.ts'
import { type CompileEnv, compileExpr, compileValue } from './compile-expr.ts'
import type { CorrelationIR } from './ir.ts'
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
  push(event: SocEvent): Firing[]
  flush(): Firing[]
  /** Drops and refusals since the last call, by cause. */
  takeOverflow(): Overflow
  groups(): number
}

type Group = {
  values: unknown[]
  state: AggregateState
  /** Sliding windows only: what the window holds of its events, oldest first. */
  events: Sample[]
  window: number
  start: number
  last: number | undefined
  fired: boolean
  /** Sliding windows: no alert before this ts (one window after the last alert). */
  quietUntil: number
}

const SWEEP_EVERY = 64
// Shared, never written to: most events fire nothing.
const NO_FIRINGS: Firing[] = []
const AGGREGATE_NAMES = Array.from({ length: 16 }, (_, i) => `$${i}`)

/** Several group values as one map key: strings as themselves, other values as JSON. */
function groupKey(values: unknown[]): string {
  let key = ''
  for (const value of values) {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    // A separator inside a value would make two groups one: such keys go through JSON whole.
    if (text.includes('\u0000')) return JSON.stringify(values)
    key += `${text}\u0000`
  }
  return key
}

export function createCorrelator(ir: CorrelationIR, env?: CompileEnv): Correlator {
  const matches = compileExpr(ir.where, env)
  const keyGetters = ir.groupBy.map((value) => compileValue(value, env))
  const when = compileExpr(ir.when, env)
  const sample = createSampler(ir.aggregates)
  const buffer = createReorderBuffer(ir.lateness, ir.limits.events)
  const groups = new Map<string, Group>()
  const overflow: Overflow = { groups: 0, events: 0, distinct: 0, late: 0 }
  const { type, ms } = ir.window
  let sinceSweep = 0
  // The key of the group at the end of the map: an event of that same group (runs of events of
  // one flow or host are common) needs no move to the end.
  let tailKey: string | undefined

  const fresh = (values: unknown[], ts: number): Group => ({
    values,
    state: createAggregateState(ir.aggregates, ir.limits.distinct),
    events: [],
    window: type === 'tumbling' ? Math.floor(ts / ms) : 0,
    start: type === 'tumbling' ? Math.floor(ts / ms) * ms : ts,
    last: undefined,
    fired: false,
    quietUntil: Number.NEGATIVE_INFINITY,
  })

  const expired = (group: Group, now: number) =>
    type === 'tumbling' ? Math.floor(now / ms) !== group.window : (group.last ?? now) <= now - ms

  // Groups are kept in the order of their last event (touching one moves it to the end), so the
  // expired ones are at the front: a sweep stops at the first live group.
  const sweep = (now: number) => {
    sinceSweep = 0
    for (const [key, group] of groups) {
      if (!expired(group, now)) return
      groups.delete(key)
      if (key === tailKey) tailKey = undefined
    }
  }
  // One object for every `when` test of this rule: the aggregate values as $0, $1…
  const view: SocEvent = { kind: '', ts: 0 }

  // Reused per event; copied only when a group is created or a rule fires.
  const values: unknown[] = new Array(keyGetters.length)
  const aggregates: (number | undefined)[] = new Array(ir.aggregates.length)

  const process = (event: SocEvent): Firing | undefined => {
    for (let i = 0; i < keyGetters.length; i++) {
      const value = (keyGetters[i] as (typeof keyGetters)[number])(event)
      if (value === undefined || value === null) return undefined
      values[i] = value
    }
    const key = values.length === 1 ? String(values[0]) : groupKey(values)
    if (++sinceSweep >= SWEEP_EVERY) sweep(event.ts)
    let group = groups.get(key)
    if (group === undefined) {
      if (groups.size >= ir.limits.groups) sweep(event.ts)
      if (groups.size >= ir.limits.groups) {
        overflow.groups++
        return undefined
      }
      group = fresh(values.slice(), event.ts)
      groups.set(key, group)
      tailKey = key
    } else {
      const renewed =
        (type === 'tumbling' && Math.floor(event.ts / ms) !== group.window) ||
        (type === 'session' && group.last !== undefined && event.ts - group.last > ms)
      if (renewed) group = fresh(group.values, event.ts)
      if (key !== tailKey) {
        groups.delete(key)
        groups.set(key, group)
        tailKey = key
      } else if (renewed) groups.set(key, group) // already last: set keeps its place
    }

    const current = sample(event)
    // The gap statistics need the previous event of this window, not of an earlier one.
    let previous = group.last
    if (type === 'sliding') {
      while (group.events.length > 0 && (group.events[0]?.ts ?? 0) <= event.ts - ms)
        evictOldest(group)
      if (group.events.length >= ir.limits.events) {
        evictOldest(group)
        overflow.events++
      }
      previous = group.events.at(-1)?.ts
      group.events.push(current)
      group.start = group.events[0]?.ts ?? event.ts
    }
    group.state.add(current, previous)
    group.last = event.ts
    overflow.distinct += group.state.takeOverflow()

    if (group.fired || event.ts < group.quietUntil) return undefined
    group.state.valuesInto(aggregates)
    view.ts = event.ts
    for (let i = 0; i < aggregates.length; i++) view[AGGREGATE_NAMES[i] ?? `$${i}`] = aggregates[i]
    if (!when(view)) return undefined
    const firing = { event, group: group.values, values: aggregates.slice(), start: group.start }
    if (type === 'sliding') group.quietUntil = event.ts + ms
    else group.fired = true
    return firing
  }

  const evictOldest = (group: Group) => {
    const oldest = group.events.shift()
    if (oldest) group.state.remove(oldest, group.events[0]?.ts)
  }

  const run = (events: readonly SocEvent[]): Firing[] => {
    let out: Firing[] | undefined
    for (const event of events) {
      const firing = process(event)
      if (firing === undefined) continue
      if (out === undefined) out = []
      out.push(firing)
    }
    return out ?? NO_FIRINGS
  }

  return {
    push: (event) => (matches(event) ? run(buffer.push(event)) : NO_FIRINGS),
    flush: () => run(buffer.flush()),
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
