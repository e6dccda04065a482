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
  /**
   * `push` without the release, when the event would pass straight through (no lateness,
   * nothing held): says whether it passed (the caller then handles it at once) or was late
   * (false: dropped and counted). Undefined: it must be pushed.
   */
  pass(ts: number): boolean | undefined
  /** Releases everything held (end of input). */
  flush(release: Release): void
  takeLate(): number
  size(): number
}

export function createReorderBuffer(lateness: number, capacity: number): ReorderBuffer {
  return new TimeOrderBuffer(lateness, capacity)
}

// A class rather than a closure: its ts fields hold numbers in place, where closure variables
// would box a new number for every event.
class TimeOrderBuffer implements ReorderBuffer {
  readonly lateness: number
  readonly capacity: number
  held: SocEvent[] = []
  head = 0
  newest = Number.NEGATIVE_INFINITY
  released = Number.NEGATIVE_INFINITY
  late = 0

  constructor(lateness: number, capacity: number) {
    this.lateness = lateness
    this.capacity = capacity
  }

  push(event: SocEvent, release: Release): void {
    const ts = event.ts
    if (ts < this.released) {
      this.late++
      return
    }
    if (ts > this.newest) this.newest = ts
    // Without lateness, an event in order passes straight through (the common case).
    if (this.lateness === 0 && this.head === this.held.length) {
      this.released = ts
      release(event)
      return
    }
    // Mostly in order already: insert from the end, after equal timestamps (stable).
    const held = this.held
    let at = held.length
    while (at > this.head && (held[at - 1] as SocEvent).ts > ts) at--
    if (at === held.length) held.push(event)
    else held.splice(at, 0, event)
    this.releaseUpTo(this.newest - this.lateness, release)
    // A full buffer releases its oldest event early rather than grow without bound.
    while (this.held.length - this.head > this.capacity)
      this.releaseUpTo((this.held[this.head] as SocEvent).ts, release)
  }

  pass(ts: number): boolean | undefined {
    if (this.lateness !== 0 || this.head !== this.held.length) return undefined
    if (ts < this.released) {
      this.late++
      return false
    }
    if (ts > this.newest) this.newest = ts
    this.released = ts
    return true
  }

  flush(release: Release): void {
    this.releaseUpTo(Number.POSITIVE_INFINITY, release)
  }

  takeLate(): number {
    const taken = this.late
    this.late = 0
    return taken
  }

  size(): number {
    return this.held.length - this.head
  }

  private releaseUpTo(upTo: number, release: Release): void {
    const held = this.held
    while (this.head < held.length) {
      const event = held[this.head] as SocEvent
      if (event.ts > upTo) break
      held[this.head++] = undefined as unknown as SocEvent // let it be collected
      this.released = event.ts
      release(event)
    }
    if (this.head === held.length) {
      held.length = 0
      this.head = 0
    } else if (this.head >= 64 && this.head * 2 >= held.length) {
      this.held = held.slice(this.head)
      this.head = 0
    }
  }
}
