// `npm run bench -w @socbox/dsl` (run with --expose-gc for the memory figure): decode and
// evaluation speed of a full pack (the shipped-style synthetic rules, ≥ 100), against evaluating
// every rule on every event without the kind index, and correlation state per 10k keys.
import { compilePack } from '../src/pack/compile-pack.ts'
import { intelListsFrom } from '../src/pack/intel-list.ts'
import { compileExpr } from '../src/runtime/compile-expr.ts'
import { createCorrelator } from '../src/runtime/correlator.ts'
import { createEngine } from '../src/runtime/create-engine.ts'
import { decodeBatch } from '../src/runtime/decode-batch.ts'
import type { CorrelationIR, DetectionIR } from '../src/runtime/ir.ts'
import { encodeBatch } from './encode-batch.ts'
import { syntheticEvents } from './synthetic-events.ts'
import { syntheticLists, syntheticRules } from './synthetic-rules.ts'

const RULES = Number(process.env.BENCH_RULES ?? 120)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000)
const BATCH = 1000

const { pack, diagnostics } = compilePack(syntheticRules(RULES), intelListsFrom(syntheticLists()))
if (!pack)
  throw new Error(`bench rules do not compile: ${diagnostics.map((d) => d.message).join('; ')}`)
const events = syntheticEvents(EVENTS)
const batches: string[] = []
for (let i = 0; i < events.length; i += BATCH) batches.push(encodeBatch(events.slice(i, i + BATCH)))
const ctx = { tenant: 'bench', sensor: 'bench' }

function time(label: string, run: () => number): number {
  run() // warm-up: JIT and caches
  const start = process.hrtime.bigint()
  const work = run()
  const ms = Number(process.hrtime.bigint() - start) / 1e6
  if (work < 0) console.log(label) // keeps `work` observable so the loop is not optimised away
  return ms
}

let decodedCount = 0
const decodeMs = time('decode', () => {
  decodedCount = 0
  for (const batch of batches) decodedCount += decodeBatch(batch).length
  return decodedCount
})

const decoded = batches.map((batch) => decodeBatch(batch))
const engine = createEngine(pack)
let alerts = 0
const evaluateMs = time('evaluate', () => {
  alerts = 0
  for (const batch of decoded) alerts += engine.evaluate(batch, ctx).alerts.length
  return alerts
})

// Baseline without the kind index: every rule's condition on every event (kind tested inside).
const flat = (pack.rules as DetectionIR[]).map((rule) => {
  const where = compileExpr(rule.where)
  return (event: { kind: string }) => event.kind === rule.on && where(event as never)
})
const flatMs = time('flat', () => {
  let hits = 0
  for (const batch of decoded)
    for (const event of batch) for (const rule of flat) if (rule(event)) hits++
  return hits
})

const perThousand = (ms: number) => (ms / EVENTS) * 1000
const nsPerRuleEvent = (evaluateMs * 1e6) / (EVENTS * pack.rules.length)

console.log(
  `rules ${pack.rules.length}, events ${EVENTS} in batches of ${BATCH}, ${alerts} alerts (one core, Node ${process.version})`,
)
console.log(
  `decode      ${perThousand(decodeMs).toFixed(3)} ms per 1,000 events (${Math.round(EVENTS / (decodeMs / 1000)).toLocaleString('en')} events/s)`,
)
console.log(
  `evaluate    ${perThousand(evaluateMs).toFixed(3)} ms per 1,000 events (${Math.round(EVENTS / (evaluateMs / 1000)).toLocaleString('en')} events/s), ${nsPerRuleEvent.toFixed(1)} ns per rule per event`,
)
console.log(
  `decode+eval ${perThousand(decodeMs + evaluateMs).toFixed(3)} ms per 1,000 events (target: evaluate ≤ 1 ms, with decoding ≤ 2 ms)`,
)
console.log(
  `no index    ${perThousand(flatMs).toFixed(3)} ms per 1,000 events: the kind index is ${(flatMs / evaluateMs).toFixed(2)}× faster`,
)

// Correlation state: one group per source address, distinct ports per group.
const correlation: CorrelationIR = {
  ...(pack.rules[0] as DetectionIR),
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
    `correlation state ${(bytes / 1024 / 1024).toFixed(2)} MiB per 10k keys (sliding window, 3 events and 3 distinct ports each; ${correlator.groups()} groups)`,
  )
} else console.log('correlation state: run node with --expose-gc to measure')
