// Events in ts order, stable (equal ts keep their order), for the decoder: a batch's groups are
// each in time order already, so the concatenation is a few ascending runs, merged here pairwise
// (a natural merge sort): about log2(runs) passes over the events. Any order is still sorted
// correctly (at worst one run per event). The times come as their own array beside the events
// (the decoder has them at hand): events of different kinds have different shapes, and reading
// `ts` off them was a megamorphic load per comparison.
import type { SocEvent } from './types.ts'

/** `events` in the order of `times` (times[i] is the ts of events[i]), stable. */
export function sortByTime(events: SocEvent[], times: number[]): SocEvent[] {
  const n = events.length
  // Run boundaries: where an event is earlier than the one before it.
  let bounds: number[] = [0]
  for (let i = 1; i < n; i++) if ((times[i] as number) < (times[i - 1] as number)) bounds.push(i)
  if (bounds.length === 1) return events
  bounds.push(n)
  let from = events
  let fromTimes = times
  let to: SocEvent[] = new Array<SocEvent>(n)
  let toTimes: number[] = new Array<number>(n).fill(0)
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
        const a = fromTimes[left] as number
        const b = fromTimes[right] as number
        // Strictly earlier only: on a tie the left run (earlier in the batch) goes first.
        if (b < a) {
          toTimes[out] = b
          to[out++] = from[right++] as SocEvent
        } else {
          toTimes[out] = a
          to[out++] = from[left++] as SocEvent
        }
      }
      for (; left < middle; out++, left++) {
        toTimes[out] = fromTimes[left] as number
        to[out] = from[left] as SocEvent
      }
      for (; right < high; out++, right++) {
        toTimes[out] = fromTimes[right] as number
        to[out] = from[right] as SocEvent
      }
      next.push(high)
    }
    bounds = next
    const swap = from
    from = to
    to = swap
    const swapTimes = fromTimes
    fromTimes = toTimes
    toTimes = swapTimes
  }
  return from
}
