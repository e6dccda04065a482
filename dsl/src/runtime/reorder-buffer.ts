// Puts events in event-time order within the declared lateness: an event is held until the
// newest ts seen is `lateness` past it, then released in ts order (stable). An event older than
// one already released is late: it is dropped and counted, never silently reordered.
//
// Released events go to a callback rather than into a new array: this runs for every event of
// every stateful rule, and most events pass straight through. Held events sit in a queue (an
// array read from `head`), compacted now and then, so releasing the oldest moves nothing.
import type { SocEvent } from './types.ts'

export type Release = (event: SocEvent) => void

export type ReorderBuffer = {
  push(event: SocEvent, release: Release): void
  /** Releases everything held (end of input). */
  flush(release: Release): void
  takeLate(): number
  size(): number
}

export function createReorderBuffer(lateness: number, capacity: number): ReorderBuffer {
  let held: SocEvent[] = []
  let head = 0
  let newest = Number.NEGATIVE_INFINITY
  let released = Number.NEGATIVE_INFINITY
  let late = 0
  const releaseUpTo = (upTo: number, release: Release) => {
    while (head < held.length) {
      const event = held[head] as SocEvent
      if (event.ts > upTo) break
      held[head++] = undefined as unknown as SocEvent // let it be collected
      released = event.ts
      release(event)
    }
    if (head === held.length) {
      held.length = 0
      head = 0
    } else if (head >= 64 && head * 2 >= held.length) {
      held = held.slice(head)
      head = 0
    }
  }
  return {
    push(event, release) {
      if (event.ts < released) {
        late++
        return
      }
      if (event.ts > newest) newest = event.ts
      // Without lateness, an event in order passes straight through (the common case).
      if (lateness === 0 && head === held.length) {
        released = event.ts
        release(event)
        return
      }
      // Mostly in order already: insert from the end, after equal timestamps (stable).
      let at = held.length
      while (at > head && (held[at - 1] as SocEvent).ts > event.ts) at--
      if (at === held.length) held.push(event)
      else held.splice(at, 0, event)
      releaseUpTo(newest - lateness, release)
      // A full buffer releases its oldest event early rather than grow without bound.
      while (held.length - head > capacity) releaseUpTo((held[head] as SocEvent).ts, release)
    },
    flush: (release) => releaseUpTo(Number.POSITIVE_INFINITY, release),
    takeLate() {
      const taken = late
      late = 0
      return taken
    },
    size: () => held.length - head,
  }
}
