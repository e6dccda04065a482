/**
 * The sensor emits a flow's `conn` event when the flow ends, stamped with its first packet, so
 * events leave the sensor out of capture-time order. Correlations count in event time, so this
 * buffer hands events on sorted: it holds each one until the newest time seen is `horizonMs`
 * past it. Events that still arrive later than that are passed on at once (the engine's declared
 * lateness then decides), so memory stays bounded by the horizon, not by the capture.
 */
import type { SocEvent } from '@socbox/dsl/runtime'

export type EventOrder = {
  /** Takes a batch; returns the events now ready, in time order. */
  push(events: SocEvent[]): SocEvent[]
  /** End of input: everything still held, in time order. */
  drain(): SocEvent[]
}

export function createEventOrder(horizonMs: number): EventOrder {
  let held: SocEvent[] = []
  let newest = Number.NEGATIVE_INFINITY
  return {
    push(events) {
      for (const event of events) {
        held.push(event)
        if (event.ts > newest) newest = event.ts
      }
      // Stable sort: equal times keep the sensor's order.
      held.sort((a, b) => a.ts - b.ts)
      const cut = newest - horizonMs
      let ready = 0
      while (ready < held.length && (held[ready] as SocEvent).ts <= cut) ready++
      const out = held.slice(0, ready)
      held = held.slice(ready)
      return out
    },
    drain() {
      const out = held
      held = []
      return out
    },
  }
}
