// Events in ts order, stable (equal ts keep their order), for the decoder: a batch's groups are
// each in time order already, so the concatenation is a few ascending runs, merged here pairwise
// (a natural merge sort) with the comparisons inline: about log2(runs) passes over the events.
// Any order is still sorted correctly (at worst one run per event).
import type { SocEvent } from './types.ts'

export function sortByTime(events: SocEvent[]): SocEvent[] {
  const n = events.length
  // Run boundaries: where an event is earlier than the one before it.
  let bounds: number[] = [0]
  for (let i = 1; i < n; i++)
    if ((events[i] as SocEvent).ts < (events[i - 1] as SocEvent).ts) bounds.push(i)
  if (bounds.length === 1) return events
  bounds.push(n)
  let from = events
  let to: SocEvent[] = new Array<SocEvent>(n)
  while (bounds.length > 2) {
    const next: number[] = [0]
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const low = bounds[r] as number
      const middle = bounds[r + 1] as number
      const high = r + 2 < bounds.length ? (bounds[r + 2] as number) : middle
      let left = low
      let right = middle
      let out = low
      while (left < middle && right < high) {
        const a = from[left] as SocEvent
        const b = from[right] as SocEvent
        // Strictly earlier only: on a tie the left run (earlier in the batch) goes first.
        if (b.ts < a.ts) {
          to[out++] = b
          right++
        } else {
          to[out++] = a
          left++
        }
      }
      while (left < middle) to[out++] = from[left++] as SocEvent
      while (right < high) to[out++] = from[right++] as SocEvent
      next.push(high)
    }
    bounds = next
    const swap = from
    from = to
    to = swap
  }
  return from
}
