// The dsl benchmark's worker: runs inside workerd (the runtime the edge runs in) so the bench
// can time decoding and evaluation there, not only in Node. The bench loads a pack and the wire
// batches once, then asks for one timed run per request; each run reports the isolate's own
// clock (local workerd does not freeze timers between I/O the way production does).
import {
  createEngine,
  decodeBatch,
  type RulePack,
  type StatefulEngine,
} from '../../src/runtime/index.ts'

type Mode = 'decode' | 'evaluate' | 'pipeline' | 'noop'

const ctx = { tenant: 'bench', sensor: 'bench' }
let pack: RulePack | undefined
let wire: Uint8Array[] = []
let decoded: ReturnType<typeof decodeBatch>[] = []
let engine: StatefulEngine | undefined

/** The body of `/wire`: each batch as a 4-byte little-endian length, then its bytes. */
function splitBatches(body: Uint8Array): Uint8Array[] {
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength)
  const batches: Uint8Array[] = []
  for (let at = 0; at < body.length; ) {
    const length = view.getUint32(at, true)
    batches.push(body.subarray(at + 4, at + 4 + length))
    at += 4 + length
  }
  return batches
}

function run(mode: Mode): { events: number; alerts: number } {
  let events = 0
  let alerts = 0
  if (mode === 'decode') for (const batch of wire) events += decodeBatch(batch).length
  else if (mode !== 'noop') {
    if (engine === undefined) throw new Error('POST /fresh before a run that evaluates')
    for (let i = 0; i < wire.length; i++) {
      const batch = mode === 'pipeline' ? decodeBatch(wire[i] as Uint8Array) : decoded[i]
      if (batch === undefined) continue
      events += batch.length
      alerts += engine.evaluate(batch, ctx).alerts.length
    }
    engine = undefined // a run meets fresh state, as a new sensor's stream does
  }
  return { events, alerts }
}

export default {
  async fetch(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname
    if (path === '/pack') {
      pack = (await request.json()) as RulePack
      return Response.json({ rules: pack.rules.length })
    }
    if (path === '/wire') {
      wire = splitBatches(new Uint8Array(await request.arrayBuffer()))
      decoded = wire.map((batch) => decodeBatch(batch))
      return Response.json({
        batches: wire.length,
        events: decoded.reduce((n, b) => n + b.length, 0),
      })
    }
    if (path === '/fresh') {
      if (pack === undefined) return new Response('POST /pack first', { status: 409 })
      engine = createEngine(pack)
      return Response.json({ ok: true })
    }
    const mode = path.slice(1) as Mode
    if (!['decode', 'evaluate', 'pipeline', 'noop'].includes(mode))
      return new Response(`unknown path ${path}`, { status: 404 })
    const start = performance.now()
    const counts = run(mode)
    return Response.json({ ...counts, ms: performance.now() - start })
  },
}
