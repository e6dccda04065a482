// The Node↔Rust boundary (ARCHITECTURE.md: ≥ 256 events per crossing, ≤ 100 ns per event
// amortised). The sensor's work is the same however the events are pulled, so pulling one
// capture once in batches of 4096 and once one event per call, the extra CPU time of the second
// run divided by its extra crossings is what one crossing costs: the call, the guard, the
// Buffer handed to JS, and also a wire batch's fixed header, so the figure is an upper bound.
// That cost shared by the events of a full-size crossing is the amortised figure.

type Source = { nextBatch(max: number): unknown; stats(): { events: number } }
export type SourceOf = () => Source

export type CrossingCost = {
  eventsPerCrossing: number
  crossings: number
  /** Sensor work and crossings together, per event, in batches of 4096. */
  nsPerEventThrough: number
  usPerCrossing: number
  nsPerEventAmortised: number
}

function pull(open: SourceOf, max: number): { cpuNs: number; crossings: number; events: number } {
  const source = open() // opening (plan load) is not timed
  let crossings = 0
  const before = process.cpuUsage()
  for (;;) {
    crossings++
    if (!source.nextBatch(max)) break
  }
  const used = process.cpuUsage(before)
  return { cpuNs: (used.user + used.system) * 1000, crossings, events: source.stats().events }
}

function best(open: SourceOf, max: number, runs: number) {
  let top = pull(open, max)
  for (let i = 1; i < runs; i++) {
    const run = pull(open, max)
    if (run.cpuNs < top.cpuNs) top = run
  }
  return top
}

export function crossingCost(open: SourceOf, runs = 3): CrossingCost {
  const batched = best(open, 4096, runs)
  const single = best(open, 1, runs)
  if (single.events !== batched.events)
    throw new Error(`pulling one by one gave ${single.events} events, in batches ${batched.events}`)
  const perCrossingNs =
    Math.max(0, single.cpuNs - batched.cpuNs) / (single.crossings - batched.crossings)
  const eventsPerCrossing = batched.events / batched.crossings
  return {
    eventsPerCrossing,
    crossings: batched.crossings,
    nsPerEventThrough: batched.cpuNs / batched.events,
    usPerCrossing: perCrossingNs / 1000,
    nsPerEventAmortised: perCrossingNs / eventsPerCrossing,
  }
}
