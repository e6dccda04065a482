/**
 * The agent is killed with SIGKILL while it replays a capture and its spool holds batches the
 * edge does not have yet, then started again on the same spool. The restarted agent (a new boot)
 * delivers what the killed one spooled and reads on exactly after it: it re-reads a stretch of
 * the capture only to rebuild the flows that were open, without handing out any of their events
 * again. The edge then holds every event `socbox events` makes of the capture exactly once (by
 * the events' whole content), and each alert once.
 */
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { AckLog } from '../../sensor-native/src/spool/ack-log.ts'
import { readAck, readCommit } from '../../sensor-native/src/spool/spool-state.ts'
import { backlogArgs, killAfterFirstBatch, startAgent, summaryOf } from './agent-process.ts'
import { alertsOfRule } from './alerts-api.ts'
import { archivedEvents } from './archive.ts'
import { canonicalEvent, distinctTorLookups } from './canonical-event.ts'
import { TOR_CLASS, TOR_RULE } from './fault-events.ts'
import { useFaultStack } from './fault-stack.ts'
import { eventsOfCapture, writeMixedCapture } from './mixed-capture.ts'
import { within } from './poll.ts'
import { lastSeenAt } from './sensor-api.ts'

const fault = useFaultStack('capture-sigkill')

type Commit = { position: { offset: number; capture?: { readFrom: number } } }

it('replays a capture exactly once across a SIGKILL and restart of the agent', async () => {
  const stack = fault.stack()
  const dir = fault.dir()
  const { url, credentials } = stack
  const capture = join(dir, 'mixed.pcap')
  await writeMixedCapture(capture)
  const expected = await eventsOfCapture(capture)
  expect(distinctTorLookups(expected), 'the mix holds Tor2web lookups').toBeGreaterThan(0)
  const spool = join(dir, 'spool')
  // At 10x the capture's pace (~45 s of capture time) the kill falls mid-read, and a small spool
  // with one request at a time mostly leaves spooled batches the edge has not seen (none when
  // the kill lands just after an acknowledgement). The restart replays at full speed.
  const args = backlogArgs(capture, url, credentials.sensor.token, spool)
  const commit = await killAfterFirstBatch<Commit>(
    [...args, '--speed', '10'],
    () => lastSeenAt(url, credentials.apiToken, credentials.sensor.id),
    spool,
  )
  const { offset, capture: resume } = commit.position
  // What the killed run left unacknowledged, read as the restarted spool reads it.
  const acked = Math.min(Math.max(readAck(spool), AckLog.highest(spool)), readCommit(spool).lsn)
  const left = readCommit(spool).lsn - acked
  expect(offset, 'killed before the capture was read').toBeLessThan(statSync(capture).size)
  // Flows were open at the kill: the restart re-reads from before the offset to rebuild them.
  expect(resume?.readFrom).toBeLessThan(offset)

  const exit = await within(startAgent(args).exited, 'the restarted agent to finish', 180_000)
  expect(exit.code, exit.stderr).toBe(0)
  const summary = summaryOf(exit)
  expect(summary.stopped).toBe('end of input')
  expect(summary.resumedAt).toBe(offset)
  expect(summary.spool.depth).toBe(0)
  // It delivered what it spooled itself and what the killed run left unacknowledged.
  expect(summary.sent.batches).toBeGreaterThanOrEqual(summary.spooled.records + left)
  expect(summary.spooled.events).toBeLessThan(expected.length)

  const tor = distinctTorLookups(expected)
  const alerts = await alertsOfRule(url, credentials.apiToken, TOR_RULE, TOR_CLASS)
  await stack.stop()
  const arrived = archivedEvents(fault.persist()).map(canonicalEvent).sort()
  const want = expected.map(canonicalEvent).sort()
  const twice = arrived.length - new Set(arrived).size
  expect(twice, 'events the edge holds twice').toBe(0)
  expect(arrived).toEqual(want)
  expect(alerts).toHaveLength(tor)
  // Each lookup raised its alert once (the same query from two hosts is two findings).
  expect(new Set(alerts.map((a) => `${a.srcIp} ${a.title.en}`)).size).toBe(tor)
})
