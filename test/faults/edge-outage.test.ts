/**
 * The edge goes away in the middle of a replay and comes back on the same port and persist dir
 * (as a redeploy or a host restart would): the agent spools and retries, and in the end the
 * edge holds every event exactly once and every alert once.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Stack, startStack } from '../../scripts/local-stack.ts'
import { freePort } from '../../scripts/proc.ts'
import { startAgent, summaryOf } from './agent-process.ts'
import { alertsOfRule } from './alerts-api.ts'
import { archivedBatches, archivedEvents } from './archive.ts'
import { type EdgeServer, startEdge } from './edge-server.ts'
import {
  eventKey,
  faultEvents,
  TOR_CLASS,
  TOR_RULE,
  torLookups,
  writeEventsFile,
} from './fault-events.ts'
import { until, within } from './poll.ts'
import { lastSeenAt } from './sensor-api.ts'

let dir: string
let port: number
let stack: Stack | undefined
let restarted: EdgeServer | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socbox-fault-outage-'))
  port = await freePort()
  stack = await startStack({ port, persistDir: join(dir, 'persist') })
})
afterAll(async () => {
  await stack?.stop()
  await restarted?.stop()
})

it('delivers every event exactly once and raises each alert once across an edge restart', async () => {
  if (!stack) throw new Error('no stack')
  const persist = join(dir, 'persist')
  // 3000 events over 15 s of capture time, replayed at its own pace: the outage falls mid-read.
  const events = faultEvents(3000, { stepMs: 5 })
  const source = join(dir, 'events.ndjson')
  writeEventsFile(source, events)
  const agent = startAgent([
    source,
    '--edge',
    stack.url,
    '--token',
    stack.credentials.sensor.token,
    '--spool-dir',
    join(dir, 'spool'),
    '--speed',
    '1',
    '--batch',
    '100',
    '--batch-interval',
    '200ms',
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
    restarted = await startEdge(port, persist)

    const exit = await within(agent.exited, 'the agent to deliver everything and stop', 180_000)
    expect(exit.code, exit.stderr).toBe(0)
    const summary = summaryOf(exit)
    expect(summary.stopped).toBe('end of input')
    expect(summary.spool.depth).toBe(0)
    expect(summary.spooled.events).toBe(events.length)
    const alerts = await alertsOfRule(stack.url, apiToken, TOR_RULE, TOR_CLASS)
    expect(alerts).toHaveLength(torLookups(events))
    expect(new Set(alerts.map((a) => a.title.en)).size).toBe(alerts.length)

    await restarted.stop()
    const batches = archivedBatches(persist)
    // The outage fell mid-replay: batches arrived both before it and after the restart.
    expect(batches.filter((b) => b.uploadedAt < stoppedAt).length).toBeGreaterThan(0)
    expect(batches.filter((b) => b.uploadedAt > stoppedAt).length).toBeGreaterThan(0)
    const keys = archivedEvents(persist).map(eventKey)
    expect(keys.length - new Set(keys).size, 'events the edge holds twice').toBe(0)
    expect(keys.sort()).toEqual(events.map(eventKey).sort())
  } finally {
    if (agent.child.exitCode === null) agent.child.kill('SIGKILL')
  }
})
