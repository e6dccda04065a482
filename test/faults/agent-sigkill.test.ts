/**
 * The agent is killed with SIGKILL while it is reading a file and its spool holds batches the
 * edge does not have yet, then started again on the same spool: the new run delivers what the
 * old one spooled, reads on from where the old one committed, and the edge holds every event
 * exactly once and every alert once.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Stack, startStack } from '../../scripts/local-stack.ts'
import { freePort } from '../../scripts/proc.ts'
import { startAgent, summaryOf } from './agent-process.ts'
import { alertsOfRule } from './alerts-api.ts'
import { archivedEvents } from './archive.ts'
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
let stack: Stack | undefined

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'socbox-fault-sigkill-'))
  stack = await startStack({ port: await freePort(), persistDir: join(dir, 'persist') })
})
afterAll(async () => {
  await stack?.stop()
  // Persisted D1, R2 and Durable Object state, the spool and the source: megabytes per run.
  if (dir) rmSync(dir, { recursive: true, force: true })
})

it('loses and doubles nothing when the agent is killed with SIGKILL and started again', async () => {
  if (!stack) throw new Error('no stack')
  const { url, credentials } = stack
  const events = faultEvents(8000)
  const source = join(dir, 'events.ndjson')
  writeEventsFile(source, events)
  const spool = join(dir, 'spool')
  // A small spool makes the reader pause part way through the file while the sender (one
  // request at a time) works through a backlog: the kill finds both a half-read file and
  // spooled batches the edge has not seen.
  const args = [
    source,
    '--edge',
    url,
    '--token',
    credentials.sensor.token,
    '--spool-dir',
    spool,
    '--spool-max',
    '64KiB',
    '--segment-size',
    '8KiB',
    '--batch',
    '100',
    '--window',
    '1',
    // The kill waits for the sensor's lastSeenAt, which must mean a batch, not a heartbeat.
    '--heartbeat-interval',
    '0',
  ]
  const first = startAgent(args)
  try {
    await until(
      () => lastSeenAt(url, credentials.apiToken, credentials.sensor.id),
      'a first batch at the edge',
    )
  } finally {
    first.child.kill('SIGKILL')
  }
  expect((await first.exited).signal).toBe('SIGKILL')
  const commit = JSON.parse(readFileSync(join(spool, 'commit.json'), 'utf8')) as {
    position: { offset: number }
  }
  expect(commit.position.offset, 'killed before the file was read').toBeLessThan(
    statSync(source).size,
  )

  const exit = await within(startAgent(args).exited, 'the restarted agent to finish', 180_000)
  expect(exit.code, exit.stderr).toBe(0)
  const summary = summaryOf(exit)
  expect(summary.stopped).toBe('end of input')
  expect(summary.resumedAt).toBe(commit.position.offset)
  expect(summary.spool.depth).toBe(0)
  // It delivered more batches than it spooled itself: the rest were the killed run's.
  expect(summary.sent.batches).toBeGreaterThan(summary.spooled.records)

  const alerts = await alertsOfRule(url, credentials.apiToken, TOR_RULE, TOR_CLASS)
  expect(alerts).toHaveLength(torLookups(events))
  expect(new Set(alerts.map((a) => a.title.en)).size).toBe(alerts.length)

  await stack.stop()
  const keys = archivedEvents(join(dir, 'persist')).map(eventKey)
  expect(keys.length - new Set(keys).size, 'events the edge holds twice').toBe(0)
  expect(keys.sort()).toEqual(events.map(eventKey).sort())
})
