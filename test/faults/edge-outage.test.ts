/**
 * The edge goes away in the middle of a capture replay and comes back on the same port and
 * persist dir (as a redeploy or a host restart would): the agent spools and retries, and in the
 * end the edge holds every event the sensor made of the capture exactly once, and each alert once.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  type EdgeServer,
  type Stack,
  startEdgeServer,
  startStack,
} from '../../scripts/local-stack.ts'
import { freePort } from '../../scripts/proc.ts'
import { startAgent, summaryOf } from './agent-process.ts'
import { alertsOfRule } from './alerts-api.ts'
import { archivedBatches, archivedEvents } from './archive.ts'
import { canonicalEvent, distinctTorLookups } from './canonical-event.ts'
import { TOR_CLASS, TOR_RULE } from './fault-events.ts'
import { eventsOfCapture, writeMixedCapture } from './mixed-capture.ts'
import { until, within } from './poll.ts'
import { lastSeenAt } from './sensor-api.ts'

let dir: string
let port: number
let capture: string
let stack: Stack | undefined
let restarted: EdgeServer | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socbox-fault-outage-'))
  port = await freePort()
  // A small seeded mix of the shared labelled captures: ~3,600 events over 45 s of capture time.
  capture = join(dir, 'mixed.pcap')
  await writeMixedCapture(capture)
  stack = await startStack({ port, persistDir: join(dir, 'persist') })
})
afterAll(async () => {
  await stack?.stop()
  await restarted?.stop()
  // Persisted D1, R2 and Durable Object state, the spool and the source: megabytes per run.
  if (dir) rmSync(dir, { recursive: true, force: true })
})

it('delivers every event exactly once and raises each alert once across an edge restart', async () => {
  if (!stack) throw new Error('no stack')
  const persist = join(dir, 'persist')
  const expected = await eventsOfCapture(capture)
  expect(distinctTorLookups(expected), 'the mix holds Tor2web lookups').toBeGreaterThan(0)
  // At 5x the capture's pace the replay lasts about 9 s: the outage falls mid-read.
  const agent = startAgent([
    capture,
    '--edge',
    stack.url,
    '--token',
    stack.credentials.sensor.token,
    '--spool-dir',
    join(dir, 'spool'),
    '--speed',
    '5',
    '--batch',
    '100',
    '--batch-interval',
    '200ms',
    // The first-batch signal below is the sensor's lastSeenAt, which a heartbeat would also set.
    '--heartbeat-interval',
    '0',
  ])
  try {
    const { apiToken, sensor } = stack.credentials
    await until(
      () => lastSeenAt(stack?.url ?? '', apiToken, sensor.id),
      'a first batch at the edge',
    )
    await stack.stop()
    const stoppedAt = Date.now()
    await until(() => /cannot reach the edge/.test(agent.stderr()), 'the agent to notice')
    // wrangler dev alone: startStack would seed again, issuing a new sensor credential that
    // would lock out the agent whose outage this is.
    restarted = await startEdgeServer({ port, persistDir: persist, timeoutMs: 120_000 })

    const exit = await within(agent.exited, 'the agent to deliver everything and stop', 180_000)
    expect(exit.code, exit.stderr).toBe(0)
    const summary = summaryOf(exit)
    expect(summary.stopped).toBe('end of input')
    expect(summary.spool.depth).toBe(0)
    expect(summary.spooled.events).toBe(expected.length)
    const alerts = await alertsOfRule(stack.url, apiToken, TOR_RULE, TOR_CLASS)
    expect(alerts).toHaveLength(distinctTorLookups(expected))

    await restarted.stop()
    const batches = archivedBatches(persist)
    // The outage fell mid-replay: batches arrived both before it and after the restart.
    expect(batches.filter((b) => b.uploadedAt < stoppedAt).length).toBeGreaterThan(0)
    expect(batches.filter((b) => b.uploadedAt > stoppedAt).length).toBeGreaterThan(0)
    const arrived = archivedEvents(persist).map(canonicalEvent).sort()
    expect(arrived).toEqual(expected.map(canonicalEvent).sort())
  } finally {
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL')
  }
})
