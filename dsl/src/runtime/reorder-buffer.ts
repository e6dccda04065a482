// Puts events in event-time order within the declared lateness: an event is held until the
// newest ts seen is `lateness` past it, then released in ts order (stable). An event older than
// one already released is late: it is dropped and counted, never silently reordered.
import type { SocEvent } from './types.ts'

export type ReorderBuffer = {
  push(event: SocEvent): SocEvent[]
  /** Releases everything held (end of input). */
  flush(): SocEvent[]
  takeLate(): number
  size(): number
}

const NOTHING: SocEvent[] = []

export function createReorderBuffer(lateness: number, capacity: number): ReorderBuffer {
  const held: SocEvent[] = []
  let newest = Number.NEGATIVE_INFINITY
  let released = Number.NEGATIVE_INFINITY
  let late = 0
  const release = (upTo: number): SocEvent[] => {
    let count = 0
    while (count < held.length && (held[count]?.ts ?? 0) <= upTo) count++
    const out = held.splice(0, count)
    if (out.length > 0) released = out.at(-1)?.ts ?? released
    return out
  }
  return {
    push(event) {
      if (event.ts < released) {
        late++
        return NOTHING
      }
      // Without lateness, an event in order passes straight through (the common case).
      if (lateness === 0 && held.length === 0) {
        newest = Math.max(newest, event.ts)
        released = event.ts
        return [event]
      }
      // Mostly in order already: insert from the end, after equal timestamps (stable).
      let at = held.length
      while (at > 0 && (held[at - 1]?.ts ?? 0) > event.ts) at--
      held.splice(at, 0, event)
      newest = Math.max(newest, event.ts)
      const out = release(newest - lateness)
      // A full buffer releases its oldest event early rather than grow without bound.
      while (held.length > capacity) out.push(...release(held[0]?.ts ?? newest))
      return out
    },
    flush: () => release(Number.POSITIVE_INFINITY),
    takeLate() {
      const taken = late
      late = 0
      return taken
    },
    size: () => held.length,
  }
}
