/**
 * `npm run bench:e2e`: replays the mixed capture at full speed through the real sensor into the
 * local stack (wrangler dev, workerd, local D1) and prints events/s accepted, bytes per event on
 * the wire, p50/p99 latency from packet to alert stored, and a chart of that latency.
 *
 * The capture: `--capture FILE`, else `npm run gen:mixed`'s target/bench/mixed-1GB.pcap when it
 * exists, else a slice of the same mix (`--size`, seed 1) generated into the temp dir.
 *
 * A replay's packet timestamps are in the past, so the packet's time is taken on the wall clock
 * as the moment the sensor began reading the batch that holds its event (the earliest it can have
 * read the packet: an upper bound for the latency), and an alert's latency is its `createdAt` at
 * the edge minus that moment (same machine, same clock). This counts decoding, batching, gzip,
 * HTTP, the Durable Object, rule evaluation and the D1 write.
 *
 *   npm run bench:e2e -- [--capture FILE] [--size 200MB] [--batch 2000] [--window 4]
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { gzipSync } from 'node:zlib'
import { decodeBatch } from '@socbox/dsl/runtime'
import { postBatch } from '@socbox/sensor-native/agent/ingest-client'
import { native } from '@socbox/sensor-native/native'
import { loadPlan } from '../../sensor-native/src/options.ts'
import { startStack } from '../local-stack.ts'
import { freePort, ROOT, run } from '../proc.ts'
import { latencyChart } from './latency-chart.ts'
import { percentile } from './percentile.ts'

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '200MB' },
    capture: { type: 'string' },
    batch: { type: 'string', default: '2000' },
    window: { type: 'string', default: '4' },
  },
})
const say = (line: string) => process.stderr.write(`[bench:e2e] ${line}\n`)

const MIXED = join(ROOT, 'target/bench/mixed-1GB.pcap')
const capture =
  values.capture ??
  (existsSync(MIXED) ? MIXED : join(tmpdir(), `socbox-mixed-${values.size}-seed1.pcap`))
if (!existsSync(capture)) {
  say(`generating ${capture} (${values.size}, seed 1)`)
  await run(
    process.execPath,
    [
      'sensor-native/tools/gen-mixed.ts',
      '--out',
      capture,
      '--size',
      values.size as string,
      '--seed',
      '1',
    ],
    { quiet: false },
  )
}

const stack = await startStack({
  port: await freePort(),
  persistDir: mkdtempSync(join(tmpdir(), 'socbox-bench-')),
  say,
})
try {
  const target = { edge: stack.url, token: stack.credentials.sensor.token }
  const plan = loadPlan(undefined).plan
  const source = new (native().FileSource)(capture, plan ? { plan } : {})
  const boot = randomUUID()
  const handedAt = new Map<string, number>()
  const inFlight = new Set<Promise<void>>()
  const window = Number(values.window)
  let wireBytes = 0
  let events = 0
  let accepted = 0
  let seq = 0
  const started = performance.now()
  for (;;) {
    const readFrom = Date.now()
    const batch = source.nextBatch(Number(values.batch))
    if (batch === null) break
    const now = readFrom
    for (const e of decodeBatch(batch)) {
      const key = `${e.flow}|${e.ts}`
      if (!handedAt.has(key)) handedAt.set(key, now)
      events++
    }
    const body = gzipSync(batch)
    wireBytes += body.byteLength
    const p: Promise<void> = postBatch(target, body, { boot, seq: ++seq }).then((reply) => {
      accepted += reply.accepted
      inFlight.delete(p)
    })
    inFlight.add(p)
    if (inFlight.size >= window) await Promise.race(inFlight)
  }
  await Promise.all(inFlight)
  const seconds = (performance.now() - started) / 1000

  const latencies: number[] = []
  let before: number | null = null
  let alerts = 0
  do {
    const url = `${stack.url}/api/v1/alerts?limit=200${before ? `&before=${before}` : ''}`
    const res = await fetch(url, {
      headers: { authorization: `Bearer ${stack.credentials.apiToken}` },
    })
    const page = (await res.json()) as {
      alerts: { ts: number; flow: string; createdAt: number }[]
      next: number | null
    }
    for (const a of page.alerts) {
      alerts++
      const t = handedAt.get(`${a.flow}|${a.ts}`)
      if (t !== undefined) latencies.push(a.createdAt - t)
    }
    before = page.next
  } while (before !== null)

  const s = source.stats()
  const report = [
    `capture           ${capture} (${(s.size / 1e6).toFixed(0)} MB, ${s.packets} packets)`,
    `events accepted   ${accepted} of ${events} in ${seconds.toFixed(1)} s = ${(accepted / seconds).toFixed(0)} events/s`,
    `wire              ${(wireBytes / events).toFixed(1)} B/event (gzip, ${seq} batches of ≤${values.batch})`,
    `alerts stored     ${alerts} (${latencies.length} matched to the batch that carried them)`,
    `latency           p50 ${percentile(latencies, 50)} ms · p99 ${percentile(latencies, 99)} ms · max ${percentile(latencies, 100)} ms (packet read by the sensor → alert stored)`,
    latencyChart(latencies),
    `machine           ${process.platform} ${process.arch}, ${(await import('node:os')).cpus().length} cores, node ${process.version}`,
  ]
  process.stdout.write(`${report.join('\n')}\n`)
} finally {
  await stack.stop()
}
