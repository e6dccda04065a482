// `npm run bench -w @socbox/dsl` (run with --expose-gc for the memory figure): decode and
// evaluation speed per 1,000 events of (1) the synthetic pack (shapes of real rules, ≥ 100),
// (2) the shipped pack (rules/dist/pack.json) and, when it has fewer than 100 rules, its rules
// copied up to 100; each against evaluating every rule's condition on every event without the
// index (the ratio); and correlation state per 10k keys. Times are CPU time of this process, best
// of BENCH_RUNS runs (wall time beside it), so a busy machine does not inflate them.
import { compilePack } from '../src/pack/compile-pack.ts'
import { intelListsFrom } from '../src/pack/intel-list.ts'
import { type CompileEnv, compileExpr, type Predicate } from '../src/runtime/compile-expr.ts'
import { createCorrelator } from '../src/runtime/correlator.ts'
import { createEngine } from '../src/runtime/create-engine.ts'
import { decodeBatch } from '../src/runtime/decode-batch.ts'
import { createFirstSeenStore } from '../src/runtime/first-seen.ts'
import type { CorrelationIR, DetectionIR } from '../src/runtime/ir.ts'
import { createSiteVariables } from '../src/runtime/site-variables.ts'
import type { RulePack, SocEvent } from '../src/runtime/types.ts'
import { encodeBatch } from './encode-batch.ts'
import { measure, type Timing } from './measure.ts'
import { packOfAtLeast, shippedPack } from './real-pack.ts'
import { syntheticEvents } from './synthetic-events.ts'
import { syntheticLists, syntheticRules } from './synthetic-rules.ts'

const RULES = Number(process.env.BENCH_RULES ?? 120)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const MIN_RULES = 100
const BATCH = 1000

const events = syntheticEvents(EVENTS)
const batches: string[] = []
for (let i = 0; i < events.length; i += BATCH) batches.push(encodeBatch(events.slice(i, i + BATCH)))
const ctx = { tenant: 'bench', sensor: 'bench' }
const perThousand = (ms: number) => (ms / EVENTS) * 1000
const rate = (t: Timing) => Math.round(EVENTS / (t.cpuMs / 1000)).toLocaleString('en')
const ms = (t: Timing) =>
  `${perThousand(t.cpuMs).toFixed(3)} ms (wall ${perThousand(t.wallMs).toFixed(3)})`

let decodedCount = 0
const decode = measure(RUNS, () => {
  decodedCount = 0
  for (const batch of batches) decodedCount += decodeBatch(batch).length
  return decodedCount
})
const decoded = batches.map((batch) => decodeBatch(batch))

console.log(
  `events ${EVENTS} in batches of ${BATCH} (40% conn, 40% dns, 10% http, 10% tls); one core, Node ${process.version}; CPU time, best of ${RUNS} runs`,
)
console.log(`decode        ${ms(decode)} per 1,000 events (${rate(decode)} events/s)`)

function bench(label: string, pack: RulePack, input: SocEvent[][]) {
  const engine = createEngine(pack)
  let alerts = 0
  const evaluate = measure(RUNS, () => {
    alerts = 0
    for (const batch of input) alerts += engine.evaluate(batch, ctx).alerts.length
    return alerts
  })
  // Baseline without the index: every rule's condition on every event (kind tested inside).
  const site = createSiteVariables(pack.variables ?? [])
  const seen = createFirstSeenStore()
  const env: CompileEnv = {
    variable: (name) => site.slot(name),
    firstSeen: (window) => seen.site(`flat#${Math.random()}`, window),
  }
  const flat: ((event: SocEvent) => boolean)[] = []
  for (const rule of pack.rules) {
    const steps =
      rule.type === 'sequence' ? [...rule.steps, ...(rule.until ? [rule.until] : [])] : [rule]
    for (const step of steps) {
      const where: Predicate = compileExpr(step.where, env)
      flat.push((event) => event.kind === step.on && where(event))
    }
  }
  const flatRun = measure(RUNS, () => {
    let hits = 0
    for (const batch of input)
      for (const event of batch) for (const rule of flat) if (rule(event)) hits++
    return hits
  })
  const nsPerRuleEvent = (evaluate.cpuMs * 1e6) / (EVENTS * pack.rules.length)
  const target = perThousand(evaluate.cpuMs) <= 1 && perThousand(evaluate.cpuMs + decode.cpuMs) <= 2
  console.log(`\n${label}: ${pack.rules.length} rules, ${alerts} alerts`)
  console.log(
    `  evaluate    ${ms(evaluate)} per 1,000 events (${rate(evaluate)} events/s), ${nsPerRuleEvent.toFixed(1)} ns per rule per event`,
  )
  console.log(
    `  decode+eval ${perThousand(decode.cpuMs + evaluate.cpuMs).toFixed(3)} ms per 1,000 events — target evaluate ≤ 1 ms, with decoding ≤ 2 ms: ${target ? 'met' : 'NOT met'}`,
  )
  console.log(
    `  no index    ${ms(flatRun)} per 1,000 events: the index is ${(flatRun.cpuMs / evaluate.cpuMs).toFixed(2)}× faster`,
  )
}

const synthetic = compilePack(syntheticRules(RULES), intelListsFrom(syntheticLists()))
if (!synthetic.pack)
  throw new Error(
    `bench rules do not compile: ${synthetic.diagnostics.map((d) => d.message).join('; ')}`,
  )
bench('synthetic pack (shapes of the shipped rules)', synthetic.pack, decoded)

const shipped = shippedPack()
if (shipped === undefined) {
  console.log('\nshipped pack: rules/dist/pack.json not built (npm run build -w @socbox/rules)')
} else {
  // The synthetic stream tags hits with bench lists: retag them with the shipped pack's own
  // lists of the same indicator kind, so its intel rules meet hits as often.
  const listFor = new Map<string, string>()
  for (const list of shipped.plan.intel)
    if (!listFor.has(list.ioc)) listFor.set(list.ioc, list.list)
  const retagged = decoded.map((batch) =>
    batch.map((event) => {
      if (!Array.isArray(event.hits)) return event
      const hits = (event.hits as { list: string; field: string }[]).map((hit) => ({
        ...hit,
        list: listFor.get(hit.list.startsWith('bench.ips') ? 'ip' : 'domain') ?? hit.list,
      }))
      return { ...event, hits }
    }),
  )
  bench('shipped pack (rules/dist/pack.json)', shipped, retagged)
  if (shipped.rules.length < MIN_RULES)
    bench(
      `shipped rules copied under new ids up to ${MIN_RULES} (synthetic, built from the real rules)`,
      packOfAtLeast(shipped, MIN_RULES),
      retagged,
    )
}

// Correlation state: one group per source address, distinct ports per group.
const correlation: CorrelationIR = {
  ...(synthetic.pack.rules[0] as DetectionIR),
  type: 'correlation',
  on: 'conn',
  where: { op: 'const', value: true },
  groupBy: [{ ref: 'src.ip' }],
  window: { type: 'sliding', ms: 60_000 },
  lateness: 0,
  aggregates: [{ fn: 'distinct', field: 'dst.port' }, { fn: 'count' }],
  when: { op: 'const', value: false },
  limits: { groups: 1_000_000, distinct: 1000, events: 10_000 },
}
const gc = (globalThis as { gc?: () => void }).gc
if (gc) {
  gc()
  const before = process.memoryUsage().heapUsed
  const correlator = createCorrelator(correlation)
  for (let i = 0; i < 10_000; i++) {
    for (let port = 0; port < 3; port++) {
      correlator.push({
        kind: 'conn',
        ts: 1_700_000_000_000 + i,
        src: { ip: `10.${i >> 8}.${i & 255}.1` },
        dst: { ip: '10.0.0.1', port },
      })
    }
  }
  gc()
  const bytes = process.memoryUsage().heapUsed - before
  console.log(
    `\ncorrelation state ${(bytes / 1024 / 1024).toFixed(2)} MiB per 10k keys (sliding window, 3 events and 3 distinct ports each; ${correlator.groups()} groups)`,
  )
} else console.log('\ncorrelation state: run node with --expose-gc to measure')
