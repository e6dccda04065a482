// Incremental aggregates over the events of one window. Sliding windows also remove events, so
// every aggregate supports removal; min/max recompute only when their extreme leaves. A window
// keeps samples (ts + the fields the aggregates read), never whole events: less memory, and no
// event data held longer than the rule needs.
import { compileAccessor, type Getter } from './compile-expr.ts'
import type { AggregateIR } from './ir.ts'
import type { SocEvent } from './types.ts'

/**
 * The fields one event gives the aggregates, as a window stores them: `width` values per event,
 * one for each aggregate that reads a field (count and interval_cv read none), written from `at`
 * in a flat list shared by all the window's events (no object per event).
 */
export type Sampler = { width: number; read(event: SocEvent, into: unknown[], at: number): void }

export type AggregateState = {
  /**
   * Adds the event at `ts` whose field values are `values[at…at + width)`; `previousTs`: the ts
   * of the window's previous event, NaN when it is the first. (NaN rather than undefined: a
   * number that may be undefined is boxed anew for every call, this runs for every event.)
   */
  add(values: readonly unknown[], at: number, ts: number, previousTs: number): void
  /** `nextTs`: the ts of the sample that becomes the oldest (NaN: none), for the intervals. */
  remove(values: readonly unknown[], at: number, ts: number, nextTs: number): void
  values(): (number | undefined)[]
  /** The values written into `out` (no allocation per event). */
  valuesInto(out: (number | undefined)[]): void
  /** Distinct values refused because the distinct limit was reached, since the last call. */
  takeOverflow(): number
}

type One = {
  add(value: unknown, ts: number, previousTs: number): void
  remove(value: unknown, ts: number, nextTs: number): void
  value(): number | undefined
}

/** Compiled once per rule: appends the fields of an event that its aggregates need. */
export function createSampler(aggregates: AggregateIR[], kind?: string): Sampler {
  const getters: Getter[] = []
  for (const aggregate of aggregates)
    if ('field' in aggregate) getters.push(compileAccessor(aggregate.field, kind))
  return {
    width: getters.length,
    read(event, into, at) {
      for (let i = 0; i < getters.length; i++) into[at + i] = (getters[i] as Getter)(event)
    },
  }
}

/** Per aggregate, where its field sits in a sample (-1: it reads none). */
function slotsOf(aggregates: AggregateIR[]): number[] {
  let next = 0
  return aggregates.map((aggregate) => ('field' in aggregate ? next++ : -1))
}

// Parts are small classes rather than closures: a correlation may create a group per event
// (a new key), and methods on a prototype cost no allocation per group.
export function createAggregateState(
  aggregates: AggregateIR[],
  distinctLimit: number,
): AggregateState {
  return aggregateStates(aggregates, distinctLimit)()
}

/**
 * A maker of fresh states for one rule (where each field sits is worked out once). Refused
 * distinct values of all its states are counted in `sink` as they happen, which a correlator
 * reads once per batch rather than asking each state after every event.
 */
export function aggregateStates(
  aggregates: AggregateIR[],
  distinctLimit: number,
  sink: OverflowSink = { distinct: 0 },
): () => AggregateState {
  const slots = slotsOf(aggregates)
  return () =>
    new State(
      aggregates.map((aggregate) => partOf(aggregate, distinctLimit, sink)),
      slots,
      sink,
    )
}

function partOf(aggregate: AggregateIR, distinctLimit: number, sink: OverflowSink): Part {
  switch (aggregate.fn) {
    case 'count':
      return new Counter()
    case 'distinct':
      return new Distinct(distinctLimit, sink)
    case 'interval_cv':
      return new Intervals()
    default:
      return new Numeric(aggregate.fn)
  }
}

type Part = One

/** Where refused distinct values are counted: shared by the parts of a state (and its rule). */
export type OverflowSink = { distinct: number }

class State implements AggregateState {
  parts: Part[]
  slots: number[]
  sink: OverflowSink
  constructor(parts: Part[], slots: number[], sink: OverflowSink) {
    this.parts = parts
    this.slots = slots
    this.sink = sink
  }
  add(values: readonly unknown[], at: number, ts: number, previousTs: number) {
    const { parts, slots } = this
    for (let i = 0; i < parts.length; i++) {
      const slot = slots[i] as number
      ;(parts[i] as Part).add(slot < 0 ? undefined : values[at + slot], ts, previousTs)
    }
  }
  remove(values: readonly unknown[], at: number, ts: number, nextTs: number) {
    const { parts, slots } = this
    for (let i = 0; i < parts.length; i++) {
      const slot = slots[i] as number
      ;(parts[i] as Part).remove(slot < 0 ? undefined : values[at + slot], ts, nextTs)
    }
  }
  values() {
    const out: (number | undefined)[] = new Array(this.parts.length)
    this.valuesInto(out)
    return out
  }
  valuesInto(out: (number | undefined)[]) {
    const parts = this.parts
    for (let i = 0; i < parts.length; i++) out[i] = (parts[i] as Part).value()
  }
  takeOverflow() {
    const taken = this.sink.distinct
    this.sink.distinct = 0
    return taken
  }
}

class Counter implements Part {
  n = 0
  add() {
    this.n++
  }
  remove() {
    this.n--
  }
  value() {
    return this.n
  }
}

function keyOf(value: unknown): unknown {
  if (value === undefined || value === null) return undefined
  // Strings and numbers are Map keys as they are; other values by their JSON text.
  return typeof value === 'string' || typeof value === 'number'
    ? value
    : `\u0000${JSON.stringify(value)}`
}

// Most groups see one value (a new key per event is common): that value is kept inline and a
// Map made only for a second one.
class Distinct implements Part {
  sink: OverflowSink
  counts: Map<unknown, number> | undefined = undefined
  only: unknown = undefined
  onlyCount = 0
  limit: number
  constructor(limit: number, sink: OverflowSink) {
    this.limit = limit
    this.sink = sink
  }
  add(value: unknown) {
    const key = keyOf(value)
    if (key === undefined) return
    const counts = this.counts
    if (counts === undefined) {
      if (this.onlyCount === 0 || this.only === key) {
        this.only = key
        this.onlyCount++
        return
      }
      if (this.limit <= 1) {
        this.sink.distinct++
        return
      }
      this.counts = new Map([
        [this.only, this.onlyCount],
        [key, 1],
      ])
      return
    }
    const known = counts.get(key)
    if (known !== undefined) counts.set(key, known + 1)
    else if (counts.size >= this.limit) this.sink.distinct++
    else counts.set(key, 1)
  }
  remove(value: unknown) {
    const key = keyOf(value)
    if (key === undefined) return
    const counts = this.counts
    if (counts === undefined) {
      if (this.onlyCount > 0 && this.only === key) this.onlyCount--
      return
    }
    const known = counts.get(key)
    if (known === undefined) return // it was refused when added
    if (known <= 1) counts.delete(key)
    else counts.set(key, known - 1)
  }
  value() {
    return this.counts === undefined ? (this.onlyCount > 0 ? 1 : 0) : this.counts.size
  }
}

class Numeric implements Part {
  fn: 'sum' | 'min' | 'max' | 'avg'
  sum = 0
  n = 0
  // Values with their multiplicity, so min/max survive removal.
  seen: Map<number, number> | undefined
  extreme: number | undefined = undefined
  constructor(fn: 'sum' | 'min' | 'max' | 'avg') {
    this.fn = fn
    this.seen = fn === 'min' || fn === 'max' ? new Map() : undefined
  }
  better(a: number, b: number) {
    return this.fn === 'min' ? a < b : a > b
  }
  add(value: unknown) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return
    this.sum += value
    this.n++
    if (this.seen) {
      this.seen.set(value, (this.seen.get(value) ?? 0) + 1)
      if (this.extreme === undefined || this.better(value, this.extreme)) this.extreme = value
    }
  }
  remove(value: unknown) {
    if (typeof value !== 'number' || !Number.isFinite(value)) return
    this.sum -= value
    this.n--
    if (this.seen) {
      const left = (this.seen.get(value) ?? 1) - 1
      if (left > 0) this.seen.set(value, left)
      else this.seen.delete(value)
      if (value === this.extreme) {
        this.extreme = undefined
        for (const candidate of this.seen.keys()) {
          if (this.extreme === undefined || this.better(candidate, this.extreme))
            this.extreme = candidate
        }
      }
    }
  }
  value() {
    if (this.n === 0) return undefined
    if (this.fn === 'sum') return this.sum
    if (this.fn === 'avg') return this.sum / this.n
    return this.extreme
  }
}

class Intervals implements Part {
  gaps = 0
  sum = 0
  squares = 0
  add(_value: unknown, ts: number, previousTs: number) {
    if (Number.isNaN(previousTs)) return
    const gap = ts - previousTs
    this.gaps++
    this.sum += gap
    this.squares += gap * gap
  }
  remove(_value: unknown, ts: number, nextTs: number) {
    if (Number.isNaN(nextTs)) return
    const gap = nextTs - ts
    this.gaps--
    this.sum -= gap
    this.squares -= gap * gap
  }
  value() {
    if (this.gaps < 2 || this.sum <= 0) return undefined
    const mean = this.sum / this.gaps
    const variance = Math.max(0, this.squares / this.gaps - mean * mean)
    return Math.sqrt(variance) / mean
  }
}
