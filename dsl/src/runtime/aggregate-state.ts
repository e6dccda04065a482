// Incremental aggregates over the events of one window. Sliding windows also remove events, so
// every aggregate supports removal; min/max recompute only when their extreme leaves.
import { compileAccessor, type Getter } from './compile-expr.ts'
import type { AggregateIR } from './ir.ts'
import type { SocEvent } from './types.ts'

export type AggregateState = {
  add(event: SocEvent, previousTs: number | undefined): void
  /** `nextTs`: the ts of the event that becomes the oldest, for the interval statistics. */
  remove(event: SocEvent, nextTs: number | undefined): void
  values(): (number | undefined)[]
  /** Distinct values refused because the distinct limit was reached, since the last call. */
  takeOverflow(): number
}

type One = {
  add(event: SocEvent, previousTs: number | undefined): void
  remove(event: SocEvent, nextTs: number | undefined): void
  value(): number | undefined
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
        return distinct(compileAccessor(aggregate.field), distinctLimit, () => overflow++)
      case 'interval_cv':
        return intervals()
      default:
        return numeric(aggregate.fn, compileAccessor(aggregate.field))
    }
  })
  return {
    add: (event, previousTs) => {
      for (const part of parts) part.add(event, previousTs)
    },
    remove: (event, nextTs) => {
      for (const part of parts) part.remove(event, nextTs)
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

function keyOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'string' ? `s${value}` : `j${JSON.stringify(value)}`
}

function distinct(get: Getter, limit: number, refused: () => void): One {
  const counts = new Map<string, number>()
  return {
    add: (event) => {
      const key = keyOf(get(event))
      if (key === undefined) return
      const known = counts.get(key)
      if (known !== undefined) counts.set(key, known + 1)
      else if (counts.size >= limit) refused()
      else counts.set(key, 1)
    },
    remove: (event) => {
      const key = keyOf(get(event))
      if (key === undefined) return
      const known = counts.get(key)
      if (known === undefined) return // it was refused when added
      if (known <= 1) counts.delete(key)
      else counts.set(key, known - 1)
    },
    value: () => counts.size,
  }
}

function numeric(fn: 'sum' | 'min' | 'max' | 'avg', get: Getter): One {
  let sum = 0
  let n = 0
  // Values with their multiplicity, so min/max survive removal.
  const seen = fn === 'min' || fn === 'max' ? new Map<number, number>() : undefined
  let extreme: number | undefined
  const better = (a: number, b: number) => (fn === 'min' ? a < b : a > b)
  return {
    add: (event) => {
      const value = get(event)
      if (typeof value !== 'number' || !Number.isFinite(value)) return
      sum += value
      n++
      if (seen) {
        seen.set(value, (seen.get(value) ?? 0) + 1)
        if (extreme === undefined || better(value, extreme)) extreme = value
      }
    },
    remove: (event) => {
      const value = get(event)
      if (typeof value !== 'number' || !Number.isFinite(value)) return
      sum -= value
      n--
      if (seen) {
        const left = (seen.get(value) ?? 1) - 1
        if (left > 0) seen.set(value, left)
        else seen.delete(value)
        if (value === extreme) {
          extreme = undefined
          for (const candidate of seen.keys())
            if (extreme === undefined || better(candidate, extreme)) extreme = candidate
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
    add: (event, previousTs) => {
      if (previousTs === undefined) return
      const gap = event.ts - previousTs
      gaps++
      sum += gap
      squares += gap * gap
    },
    remove: (event, nextTs) => {
      if (nextTs === undefined) return
      const gap = nextTs - event.ts
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
