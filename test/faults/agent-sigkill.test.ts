/**
 * The agent is killed with SIGKILL while it is reading a file and its spool holds batches the
 * edge does not have yet, then started again on the same spool: the new run delivers what the
 * old one spooled, reads on from where the old one committed, and the edge holds every event
 * exactly once and every alert once.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { backlogArgs, killAfterFirstBatch, startAgent, summaryOf } from './agent-process.ts'
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
import { within } from './poll.ts'
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
  // A small spool makes the reader pause part way through the file while the sender works
  // through a backlog: the kill finds both a half-read file and spooled batches.
  const args = backlogArgs(source, url, credentials.sensor.token, spool)
  const commit = await killAfterFirstBatch<{ position: { offset: number } }>(
    args,
    () => lastSeenAt(url, credentials.apiToken, credentials.sensor.id),
    spool,
  )
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
