// Timing for the benchmark on a shared machine: each run is measured in CPU time of this process
// (user + system, what "per core" means; wall time on a loaded 2-core box counts other processes'
// turns too) and wall time, and the best of several runs is kept (the least disturbed one).
// `prepare` runs untimed before each run: a stateful engine must start fresh every run, or the
// runs after the first meet their own earlier events (late, dropped) and measure nothing.
export type Timing = { cpuMs: number; wallMs: number }

export function measure(runs: number, work: () => number, prepare?: () => void): Timing {
  prepare?.()
  work() // warm-up: JIT and caches
  let best: Timing = { cpuMs: Number.POSITIVE_INFINITY, wallMs: Number.POSITIVE_INFINITY }
  for (let i = 0; i < runs; i++) {
    prepare?.()
    const cpu = process.cpuUsage()
    const start = process.hrtime.bigint()
    const result = work()
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6
    const used = process.cpuUsage(cpu)
    const cpuMs = (used.user + used.system) / 1000
    if (result < 0) console.log('') // keeps `result` observable so the loop is not optimised away
    if (cpuMs < best.cpuMs) best = { cpuMs, wallMs }
  }
  return best
}
