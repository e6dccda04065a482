// Same alerts before and after a speed change: runs the engine over eight scenarios (real traffic
// as is, through the wire decoder, in small batches, reordered, with tight state limits, copied
// past its windows; random events with the shipped and the synthetic pack) and writes every
// alert and error of each, in order, as JSON lines, plus the decoded events of the real and
// random workloads. Compare two checkouts by running each's copy:
//   npx node dsl/bench/alert-digest.ts > after.ndjson   (then the same in the baseline checkout)
//   cmp before.ndjson after.ndjson
// A summary (alerts, errors, SHA-256 per scenario) goes to stderr.
import { createHash } from 'node:crypto'
import { compilePack } from '../src/pack/compile-pack.ts'
import { intelListsFrom } from '../src/pack/intel-list.ts'
import { createEngine } from '../src/runtime/create-engine.ts'
import { decodeBatch } from '../src/runtime/decode-batch.ts'
import type { RuleIR } from '../src/runtime/ir.ts'
import type { RulePack, SocEvent } from '../src/runtime/types.ts'
import { encodeBatch } from './encode-batch.ts'
import { shippedPack } from './real-pack.ts'
import { realTrafficEvents } from './real-traffic.ts'
import { syntheticEvents } from './synthetic-events.ts'
import { syntheticLists, syntheticRules } from './synthetic-rules.ts'

const ctx = { tenant: 'digest', sensor: 'digest' }

function batches(events: SocEvent[], size: number): SocEvent[][] {
  const out: SocEvent[][] = []
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size))
  return out
}

/** Every alert and error of the batches in order, then of the final flush. */
function run(pack: RulePack, input: SocEvent[][]): string[] {
  const engine = createEngine(pack)
  const lines: string[] = []
  const record = (result: { alerts: unknown[]; errors: unknown[] }) => {
    for (const alert of result.alerts) lines.push(JSON.stringify(alert))
    lines.push(JSON.stringify({ errors: result.errors }))
  }
  for (const batch of input) record(engine.evaluate(batch, ctx))
  record(engine.flush(ctx))
  return lines
}

// Deterministic: events moved up to `reach` places back within their stretch (late events).
function reordered(events: SocEvent[], reach: number): SocEvent[] {
  const out = [...events]
  let state = 7
  for (let i = reach; i < out.length; i += 3) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    const j = i - (state % reach)
    const moved = out[i] as SocEvent
    out[i] = out[j] as SocEvent
    out[j] = moved
  }
  return out
}

function tight(pack: RulePack): RulePack {
  const rules = pack.rules.map((rule: RuleIR) =>
    rule.type === 'detection'
      ? rule
      : { ...rule, limits: { groups: 5, distinct: 3, events: 4 }, lateness: 0 },
  )
  return { ...pack, rules }
}

function copies(events: SocEvent[], count: number): SocEvent[] {
  const first = events[0]?.ts ?? 0
  const span = (events.at(-1)?.ts ?? first) - first + 366 * 86_400_000
  const out: SocEvent[] = []
  for (let c = 0; c < count; c++)
    for (const event of events) out.push(c === 0 ? event : { ...event, ts: event.ts + c * span })
  return out
}

const wired = (input: SocEvent[][]) =>
  input.map((batch) => decodeBatch(new TextEncoder().encode(encodeBatch(batch))))

const shipped = shippedPack()
const real = realTrafficEvents()
if (shipped === undefined || real === undefined)
  throw new Error('needs rules/dist/pack.json and the real-traffic cache (npm run bench:dsl once)')
const synthetic = compilePack(syntheticRules(120), intelListsFrom(syntheticLists())).pack
if (synthetic === undefined) throw new Error('synthetic rules do not compile')
const random = syntheticEvents(30_000)

const scenarios: [string, () => string[]][] = [
  ['real', () => run(shipped, batches(real, 1000))],
  ['real decoded', () => run(shipped, wired(batches(real, 1000)))],
  ['real batches of 7', () => run(shipped, batches(real, 7))],
  ['real reordered', () => run(shipped, batches(reordered(real, 40), 500))],
  ['real tight limits', () => run(tight(shipped), batches(real, 1000))],
  ['real ×3', () => run(shipped, batches(copies(real, 3), 1000))],
  ['random shipped', () => run(shipped, batches(random, 1000))],
  ['random synthetic', () => run(synthetic, batches(random, 1000))],
  ['decoded real', () => wired(batches(real, 1000)).map((b) => JSON.stringify(b))],
  ['decoded random', () => wired(batches(random, 1000)).map((b) => JSON.stringify(b))],
]
for (const [name, scenario] of scenarios) {
  const lines = scenario()
  const hash = createHash('sha256')
  for (const line of lines) {
    process.stdout.write(`${name}\t${line}\n`)
    hash.update(line)
  }
  const alerts = lines.filter((line) => !line.startsWith('{"errors"')).length
  process.stderr.write(`${name}: ${alerts} lines, sha256 ${hash.digest('hex').slice(0, 16)}\n`)
}
