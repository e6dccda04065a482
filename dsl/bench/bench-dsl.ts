// `npm run bench -w @socbox/dsl`: decode and evaluation speed per 1,000 events on three workloads:
// - real traffic (the headline): the sensor's own events of every shared capture, in ts order
//   (real-traffic.ts; cached under target/bench), with the shipped pack (rules/dist/pack.json);
// - mixed traffic (larger and more varied): the first 100k events of the generated mixed
//   capture (mixed-traffic.ts; `npm run gen:mixed` first), with the shipped pack;
// - random events (a stress figure): a generated stream whose random names open a new
//   correlation group for nearly every event, with the synthetic pack (shapes of real rules,
//   ≥ 100) and the shipped pack.
// Real traffic is also decoded and evaluated inside workerd, the edge's runtime, where
// ARCHITECTURE.md sets the target (workerd/time-in-workerd.ts; its V8 is newer than Node 22's).
// Each against evaluating every rule's condition on every event without the index (the ratio:
// conditions alone, so it understates what the index saves a whole engine); each also decoded
// and evaluated batch by batch as the Worker runs it; and correlation state per 10k keys. Times
// are CPU time of this process, best of BENCH_RUNS runs (wall time beside it), so a busy machine
// does not inflate them; each run starts a fresh engine.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { compilePack } from '../src/pack/compile-pack.ts'
import { intelListsFrom } from '../src/pack/intel-list.ts'
import { type CompileEnv, compileExpr, type Predicate } from '../src/runtime/compile-expr.ts'
import { createEngine } from '../src/runtime/create-engine.ts'
import { decodeBatch } from '../src/runtime/decode-batch.ts'
import { createFirstSeenStore } from '../src/runtime/first-seen.ts'
import { createSiteVariables } from '../src/runtime/site-variables.ts'
import type { RulePack, SocEvent } from '../src/runtime/types.ts'
import { encodeBatch } from './encode-batch.ts'
import { measure, type Timing } from './measure.ts'
import { MIXED_CAPTURE, mixedTrafficEvents } from './mixed-traffic.ts'
import { packOfAtLeast, shippedPack } from './real-pack.ts'
import { realTrafficEvents } from './real-traffic.ts'
import { syntheticEvents } from './synthetic-events.ts'
import { syntheticLists, syntheticRules } from './synthetic-rules.ts'
import { timeInWorkerd } from './workerd/time-in-workerd.ts'

const RULES = Number(process.env.BENCH_RULES ?? 120)
const EVENTS = Number(process.env.BENCH_EVENTS ?? 200_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 5)
const ONLY = process.env.BENCH_ONLY // 'real', 'mixed' or 'random': one workload only (profiling)
const MIXED_EVENTS = Number(process.env.BENCH_MIXED_EVENTS ?? 100_000)
const MIN_RULES = 100
const STATE_MEMORY = fileURLToPath(new URL('./state-memory.ts', import.meta.url))
const BATCH = 1000
const ctx = { tenant: 'bench', sensor: 'bench' }

// `wire`: each batch as the Worker gets it (UTF-8 bytes of the JSON, after gunzip); `events`:
// those batches decoded, which is what the Worker's engine evaluates (not the generator's or
// JSON.parse's objects, whose shapes differ and make every field read slower than it is there).
type Workload = { label: string; events: SocEvent[][]; wire: Uint8Array[]; count: number }

function workload(label: string, events: SocEvent[]): Workload {
  const batches: SocEvent[][] = []
  const wire: Uint8Array[] = []
  const utf8 = new TextEncoder()
  for (let i = 0; i < events.length; i += BATCH) {
    const bytes = utf8.encode(encodeBatch(events.slice(i, i + BATCH)))
    const decoded = decodeBatch(bytes)
    if (decoded.length !== Math.min(BATCH, events.length - i))
      throw new Error(`${label}: batch ${i / BATCH} decodes to ${decoded.length} events`)
    wire.push(bytes)
    batches.push(decoded)
  }
  return { label, events: batches, wire, count: events.length }
}

const perThousand = (w: Workload, ms: number) => (ms / w.count) * 1000
const rate = (w: Workload, t: Timing) => Math.round(w.count / (t.cpuMs / 1000)).toLocaleString('en')
const ms = (w: Workload, t: Timing) =>
  `${perThousand(w, t.cpuMs).toFixed(3)} ms (wall ${perThousand(w, t.wallMs).toFixed(3)})`

function decodeTime(w: Workload): Timing {
  return measure(RUNS, () => {
    let count = 0
    for (const batch of w.wire) count += decodeBatch(batch).length
    return count
  })
}

/** Decoding alone, with the part no decoder of this format can go below: UTF-8 and JSON.parse. */
function printDecode(w: Workload, decode: Timing) {
  const utf8 = new TextDecoder()
  const parse = measure(RUNS, () => {
    let count = 0
    for (const batch of w.wire) count += (JSON.parse(utf8.decode(batch)) as { n: number }).n
    return count
  })
  const bytes = w.wire.reduce((sum, batch) => sum + batch.length, 0) / w.count
  console.log(
    `  decode      ${ms(w, decode)} per 1,000 events (${rate(w, decode)} events/s), decoding only; of which UTF-8 + JSON.parse ${perThousand(w, parse.cpuMs).toFixed(3)} ms (${bytes.toFixed(0)} B per event)`,
  )
}

/** Prints the figures and returns the number of alerts the engine raised. */
function bench(label: string, pack: RulePack, w: Workload, decode: Timing): number {
  let engine = createEngine(pack)
  let alerts = 0
  const evaluate = measure(
    RUNS,
    () => {
      alerts = 0
      for (const batch of w.events) alerts += engine.evaluate(batch, ctx).alerts.length
      return alerts
    },
    () => {
      engine = createEngine(pack)
    },
  )
  const groups = engine.state().reduce((sum, rule) => sum + rule.groups, 0)
  // As the Worker runs it: each batch decoded, then evaluated at once (its events still warm).
  const pipeline = measure(
    RUNS,
    () => {
      let count = 0
      for (const batch of w.wire) count += engine.evaluate(decodeBatch(batch), ctx).alerts.length
      return count
    },
    () => {
      engine = createEngine(pack)
    },
  )
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
    for (const batch of w.events)
      for (const event of batch) for (const rule of flat) if (rule(event)) hits++
    return hits
  })
  const nsPerRuleEvent = (evaluate.cpuMs * 1e6) / (w.count * pack.rules.length)
  const target =
    perThousand(w, evaluate.cpuMs) <= 1 && perThousand(w, evaluate.cpuMs + decode.cpuMs) <= 2
  console.log(
    `\n[${w.label}] ${label}: ${pack.rules.length} rules, ${alerts} alerts, ${groups} correlation groups open at the end`,
  )
  console.log(
    `  evaluate    ${ms(w, evaluate)} per 1,000 events (${rate(w, evaluate)} events/s), ${nsPerRuleEvent.toFixed(1)} ns per rule per event`,
  )
  console.log(
    `  decode+eval ${perThousand(w, decode.cpuMs + evaluate.cpuMs).toFixed(3)} ms per 1,000 events — target evaluate ≤ 1 ms, with decoding ≤ 2 ms: ${target ? 'met' : 'NOT met'}`,
  )
  console.log(
    `  decode→eval ${ms(w, pipeline)} per 1,000 events, each batch decoded then evaluated (as the Worker runs it)`,
  )
  console.log(
    `  no index    ${ms(w, flatRun)} per 1,000 events for the conditions alone (no state, no alerts): ratio ${(flatRun.cpuMs / evaluate.cpuMs).toFixed(2)} against the whole indexed engine`,
  )
  return alerts
}

/** The same pack and batches inside workerd (the edge's runtime), for the target's "in workerd". */
async function benchInWorkerd(pack: RulePack, w: Workload, nodeAlerts: number) {
  const figures = await timeInWorkerd(pack, w.wire, RUNS)
  if (typeof figures === 'string') {
    console.log(`  in workerd  not measured: ${figures}`)
    return
  }
  if (figures.alerts !== nodeAlerts)
    throw new Error(`workerd raised ${figures.alerts} alerts where Node raised ${nodeAlerts}`)
  const { decode, evaluate, pipeline } = figures
  const met =
    perThousand(w, evaluate.cpuMs) <= 1 && perThousand(w, decode.cpuMs + evaluate.cpuMs) <= 2
  console.log(
    `  in workerd  ${figures.version} (CPU of the workerd process less an empty request's, best of ${RUNS}; the same ${figures.alerts} alerts):`,
  )
  console.log(`    decode      ${ms(w, decode)} per 1,000 events`)
  console.log(`    evaluate    ${ms(w, evaluate)} per 1,000 events`)
  console.log(
    `    decode+eval ${perThousand(w, decode.cpuMs + evaluate.cpuMs).toFixed(3)} ms per 1,000 events — target evaluate ≤ 1 ms, with decoding ≤ 2 ms: ${met ? 'met' : 'NOT met'}`,
  )
  console.log(`    decode→eval ${ms(w, pipeline)} per 1,000 events, batch by batch`)
}

console.log(
  `one core, Node ${process.version}; CPU time, best of ${RUNS} runs, batches of ${BATCH}`,
)

const synthetic = compilePack(syntheticRules(RULES), intelListsFrom(syntheticLists()))
if (!synthetic.pack)
  throw new Error(
    `bench rules do not compile: ${synthetic.diagnostics.map((d) => d.message).join('; ')}`,
  )
memoryPer10k()
const shipped = shippedPack()
if (shipped === undefined)
  console.log('\nshipped pack: rules/dist/pack.json not built (npm run build -w @socbox/rules)')

// Real traffic: the headline figure.
const once = ONLY === undefined || ONLY === 'real' ? realTrafficEvents() : undefined
// The captures give a few thousand events: the stream is replayed until it has about
// BENCH_REAL_EVENTS, each copy shifted a year past the previous one (past every window and
// first_seen memory, so a copy meets fresh state as the first did).
const REAL_EVENTS = Number(process.env.BENCH_REAL_EVENTS ?? 100_000)
let copies = 1
const real: SocEvent[] | undefined = once === undefined ? undefined : []
if (once !== undefined && real !== undefined && once.length > 0) {
  copies = Math.max(1, Math.round(REAL_EVENTS / once.length))
  const first = once[0]?.ts ?? 0
  const span = (once.at(-1)?.ts ?? first) - first + 366 * 86_400_000
  for (let copy = 0; copy < copies; copy++)
    for (const event of once)
      real.push(copy === 0 ? event : { ...event, ts: event.ts + copy * span })
}
if (ONLY !== undefined && ONLY !== 'real') {
  // skipped on request
} else if (real === undefined || real.length === 0) {
  console.log('\nreal traffic: no captures under ../shared/data (set BENCH_CAPTURES)')
} else if (shipped !== undefined) {
  const mix = kindMix(real)
  const w = workload('real traffic', real)
  const decode = decodeTime(w)
  console.log(
    `\n[real traffic] ${real.length} events: the ${once?.length} events the sensor made of the shared captures (ts order) ×${copies} (${mix})`,
  )
  printDecode(w, decode)
  const alerts = bench('shipped pack (rules/dist/pack.json)', shipped, w, decode)
  await benchInWorkerd(shipped, w, alerts)
}

// Mixed traffic: a second, larger real-shaped figure (the headline stays the one above).
const mixed =
  ONLY === undefined || ONLY === 'mixed' ? await mixedTrafficEvents(MIXED_EVENTS) : undefined
if (ONLY !== undefined && ONLY !== 'mixed') {
  // skipped on request
} else if (mixed === undefined || mixed.length === 0) {
  console.log(`\nmixed traffic: no ${MIXED_CAPTURE} (npm run gen:mixed makes it)`)
} else if (shipped !== undefined) {
  const w = workload('mixed traffic', mixed)
  const decode = decodeTime(w)
  console.log(
    `\n[mixed traffic] ${mixed.length} events: the first the sensor made of the generated mixed capture (ts order; ${kindMix(mixed)})`,
  )
  printDecode(w, decode)
  bench('shipped pack (rules/dist/pack.json)', shipped, w, decode)
}

if (ONLY === undefined || ONLY === 'random') {
  const random = workload('random events', syntheticEvents(EVENTS))
  const decode = decodeTime(random)
  console.log(
    `\n[random events] ${EVENTS} generated (40% conn, 40% dns, 10% http, 10% tls; random names: nearly every dns event opens a new group) — a stress figure`,
  )
  printDecode(random, decode)
  bench('synthetic pack (shapes of the shipped rules)', synthetic.pack, random, decode)
  if (shipped !== undefined) {
    // The synthetic stream tags hits with bench lists: retag them with the shipped pack's own
    // lists of the same indicator kind, so its intel rules meet hits as often.
    const listFor = new Map<string, string>()
    for (const list of shipped.plan.intel)
      if (!listFor.has(list.ioc)) listFor.set(list.ioc, list.list)
    const retagged: Workload = {
      ...random,
      events: random.events.map((batch) =>
        batch.map((event) => {
          if (!Array.isArray(event.hits)) return event
          const hits = (event.hits as { list: string; field: string }[]).map((hit) => ({
            ...hit,
            list: listFor.get(hit.list.startsWith('bench.ips') ? 'ip' : 'domain') ?? hit.list,
          }))
          return { ...event, hits }
        }),
      ),
    }
    bench('shipped pack (rules/dist/pack.json)', shipped, retagged, decode)
    if (shipped.rules.length < MIN_RULES)
      bench(
        `shipped rules copied under new ids up to ${MIN_RULES} (synthetic, built from the real rules)`,
        packOfAtLeast(shipped, MIN_RULES),
        retagged,
        decode,
      )
  }
}

function kindMix(events: SocEvent[]): string {
  const kinds = new Map<string, number>()
  for (const event of events) kinds.set(event.kind, (kinds.get(event.kind) ?? 0) + 1)
  return [...kinds]
    .sort((a, b) => b[1] - a[1])
    .map(([kind, n]) => `${kind} ${((n / events.length) * 100).toFixed(1)}%`)
    .join(', ')
}

// Correlation state per 10k keys, measured in a child process (state-memory.ts says why).
function memoryPer10k() {
  const run = spawnSync(process.execPath, ['--expose-gc', STATE_MEMORY], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`state-memory.ts failed: ${run.stderr}`)
  console.log(`\n${run.stdout.trimEnd()}`)
}
