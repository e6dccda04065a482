// `node --expose-gc bench/state-memory.ts`: the heap one correlation rule's state takes per 10k
// keys, in two shapes: one group per source address with distinct ports (a port scan's), and one
// per source, destination and port with the intervals between connections (a beaconing rule's,
// every key new: the shape of high-cardinality traffic). bench-dsl.ts runs it as a child process:
// in the bench's own process, its events' shapes crowded the inline caches of the field getters
// every engine shares and slowed the speed figures measured after it (real-traffic evaluation
// 0.99 -> 1.10 ms per 1,000 events).
import { createCorrelator } from '../src/runtime/correlator.ts'
import type { CorrelationIR } from '../src/runtime/ir.ts'
import { correlationIR } from '../src/runtime/rule-ir.fixture.ts'

const exposed = (globalThis as { gc?: () => void }).gc
if (!exposed) throw new Error('run node with --expose-gc to measure correlation state')
const gc: () => void = exposed

type Shape = Pick<CorrelationIR, 'groupBy' | 'window' | 'aggregates'>

function stateOf(label: string, shape: Shape, events: (i: number) => string[]): string {
  const correlation = correlationIR({
    ...shape,
    limits: { groups: 1_000_000, distinct: 1000, events: 10_000 },
  })
  gc()
  const before = process.memoryUsage().heapUsed
  const correlator = createCorrelator(correlation)
  for (let i = 0; i < 10_000; i++) for (const event of events(i)) correlator.push(JSON.parse(event))
  gc()
  const bytes = process.memoryUsage().heapUsed - before
  return `correlation state ${(bytes / 1024 / 1024).toFixed(2)} MiB per 10k keys (${label}; ${correlator.groups()} groups)`
}

// Endpoints whole (ip, port, internal), as the workloads' events have them.
const conn = (ts: number, src: string, dst: string, port: number) =>
  `{"kind":"conn","ts":${ts},"src":{"ip":"${src}","port":40000,"internal":true},"dst":{"ip":"${dst}","port":${port},"internal":true}}`
const T0 = 1_700_000_000_000

console.log(
  stateOf(
    'by source: sliding window, 3 events and 3 distinct ports each',
    {
      groupBy: [{ ref: 'src.ip' }],
      window: { type: 'sliding', ms: 60_000 },
      aggregates: [{ fn: 'distinct', field: 'dst.port' }, { fn: 'count' }],
    },
    (i) => [0, 1, 2].map((port) => conn(T0 + i, `10.${i >> 8}.${i & 255}.1`, '10.0.0.1', port)),
  ),
)
console.log(
  stateOf(
    'by source, destination and port: count and interval_cv of one event each, 7 sources',
    {
      groupBy: [{ ref: 'src.ip' }, { ref: 'dst.ip' }, { ref: 'dst.port' }],
      window: { type: 'sliding', ms: 3_600_000 },
      aggregates: [{ fn: 'count' }, { fn: 'interval_cv' }],
    },
    (i) => [conn(T0 + i, `10.0.${i % 7}.1`, `198.51.${i >> 8}.${i & 255}`, 443 + (i % 3))],
  ),
)
