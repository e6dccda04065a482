/**
 * The agent is killed with SIGKILL while it is reading a file and its spool holds batches the
 * edge does not have yet, then started again on the same spool: the new run delivers what the
 * old one spooled, reads on from where the old one committed, and the edge holds every event
 * exactly once and every alert once.
 */
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { startAgent, summaryOf } from './agent-process.ts'
import { alertsOfRule } from './alerts-api.ts'
import {
  eventKey,
  faultEvents,
  TOR_CLASS,
  TOR_RULE,
  torLookups,
  writeEventsFile,
} from './fault-events.ts'
import { expectArchivedOnce, useFaultStack } from './fault-stack.ts'
import { until, within } from './poll.ts'
import { lastSeenAt } from './sensor-api.ts'

const fault = useFaultStack('sigkill')

it('loses and doubles nothing when the agent is killed with SIGKILL and started again', async () => {
  const stack = fault.stack()
  const dir = fault.dir()
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
  expectArchivedOnce(fault.persist(), events, eventKey)
})
