// Incremental aggregates over the events of one window. Sliding windows also remove events, so
// every aggregate supports removal; min/max recompute only when their extreme leaves. A window
// keeps samples (ts + the fields the aggregates read), never whole events: less memory, and no
// event data held longer than the rule needs.
import { compileAccessor, type Getter } from './compile-expr.ts'
import type { AggregateIR } from './ir.ts'
import type { SocEvent } from './types.ts'

/** What a window remembers of one event: its time and one field value per aggregate. */
export type Sample = { ts: number; values: unknown[] }

export type AggregateState = {
  add(sample: Sample, previousTs: number | undefined): void
  /** `nextTs`: the ts of the sample that becomes the oldest, for the interval statistics. */
  remove(sample: Sample, nextTs: number | undefined): void
  values(): (number | undefined)[]
  /** Distinct values refused because the distinct limit was reached, since the last call. */
  takeOverflow(): number
}

type One = {
  add(value: unknown, ts: number, previousTs: number | undefined): void
  remove(value: unknown, ts: number, nextTs: number | undefined): void
  value(): number | undefined
}

/** Compiled once per rule: reads the fields of an event that its aggregates need. */
export function createSampler(aggregates: AggregateIR[]): (event: SocEvent) => Sample {
  const getters: (Getter | undefined)[] = aggregates.map((a) =>
    'field' in a ? compileAccessor(a.field) : undefined,
  )
  return (event) => {
    const values: unknown[] = new Array(getters.length)
    for (let i = 0; i < getters.length; i++) values[i] = getters[i]?.(event)
    return { ts: event.ts, values }
  }
}

export function createAggregateState(
  aggregates: AggregateIR[],
  distinctLimit: number,
): AggregateState {
  let overflow = 0
  const parts: One[] = aggregates.map((aggregate) => {
    switch (aggregate.fn) {
      case 'count':
        return counter()
      case 'distinct':
        return distinct(distinctLimit, () => overflow++)
      case 'interval_cv':
        return intervals()
      default:
        return numeric(aggregate.fn)
    }
  })
  return {
    add: (sample, previousTs) => {
      for (let i = 0; i < parts.length; i++) parts[i]?.add(sample.values[i], sample.ts, previousTs)
    },
    remove: (sample, nextTs) => {
      for (let i = 0; i < parts.length; i++) parts[i]?.remove(sample.values[i], sample.ts, nextTs)
    },
    values: () => parts.map((part) => part.value()),
    takeOverflow: () => {
      const taken = overflow
      overflow = 0
      return taken
    },
  }
}

function counter(): One {
  let n = 0
  return {
    add: () => {
      n++
    },
    remove: () => {
      n--
    },
    value: () => n,
  }
}

function keyOf(value: unknown): unknown {
  if (value === undefined || value === null) return undefined
  // Strings and numbers are Map keys as they are; other values by their JSON text.
  return typeof value === 'string' || typeof value === 'number'
    ? value
    : `\u0000${JSON.stringify(value)}`
}

function distinct(limit: number, refused: () => void): One {
  const counts = new Map<unknown, number>()
  return {
    add: (value) => {
      const key = keyOf(value)
      if (key === undefined) return
      const known = counts.get(key)
      if (known !== undefined) counts.set(key, known + 1)
      else if (counts.size >= limit) refused()
      else counts.set(key, 1)
    },
    remove: (value) => {
      const key = keyOf(value)
      if (key === undefined) return
      const known = counts.get(key)
      if (known === undefined) return // it was refused when added
      if (known <= 1) counts.delete(key)
      else counts.set(key, known - 1)
    },
    value: () => counts.size,
  }
}

function numeric(fn: 'sum' | 'min' | 'max' | 'avg'): One {
  let sum = 0
  let n = 0
  // Values with their multiplicity, so min/max survive removal.
  const seen = fn === 'min' || fn === 'max' ? new Map<number, number>() : undefined
  let extreme: number | undefined
  const better = (a: number, b: number) => (fn === 'min' ? a < b : a > b)
  return {
    add: (value) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) return
      sum += value
      n++
      if (seen) {
        seen.set(value, (seen.get(value) ?? 0) + 1)
        if (extreme === undefined || better(value, extreme)) extreme = value
      }
    },
    remove: (value) => {
      if (typeof value !== 'number' || !Number.isFinite(value)) return
      sum -= value
      n--
      if (seen) {
        const left = (seen.get(value) ?? 1) - 1
        if (left > 0) seen.set(value, left)
        else seen.delete(value)
        if (value === extreme) {
          extreme = undefined
          for (const candidate of seen.keys()) {
            if (extreme === undefined || better(candidate, extreme)) extreme = candidate
          }
        }
      }
    },
    value: () => {
      if (n === 0) return undefined
      if (fn === 'sum') return sum
      if (fn === 'avg') return sum / n
      return extreme
    },
  }
}

function intervals(): One {
  let gaps = 0
  let sum = 0
  let squares = 0
  return {
    add: (_value, ts, previousTs) => {
      if (previousTs === undefined) return
      const gap = ts - previousTs
      gaps++
      sum += gap
      squares += gap * gap
    },
    remove: (_value, ts, nextTs) => {
      if (nextTs === undefined) return
      const gap = nextTs - ts
      gaps--
      sum -= gap
      squares -= gap * gap
    },
    value: () => {
      if (gaps < 2 || sum <= 0) return undefined
      const mean = sum / gaps
      const variance = Math.max(0, squares / gaps - mean * mean)
      return Math.sqrt(variance) / mean
    },
  }
}
