/**
 * A spool segment is damaged on disk between two runs (a flipped byte inside one record's
 * payload): the restarted agent reports the damage, sends a tombstone in that record's place so
 * the edge's sequence has no hole, and delivers everything else exactly once.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { freePort } from '../../scripts/proc.ts'
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
import { segmentRecords } from './spool-records.ts'

const fault = useFaultStack('spool')

it('skips a damaged spool record with a report and delivers the rest exactly once', async () => {
  const stack = fault.stack()
  const dir = fault.dir()
  const { url, credentials } = stack
  const events = faultEvents(1500)
  const source = join(dir, 'events.ndjson')
  writeEventsFile(source, events)
  const spool = join(dir, 'spool')
  const sameSpool = [
    source,
    '--token',
    credentials.sensor.token,
    '--spool-dir',
    spool,
    '--batch',
    '100',
  ]

  // First run: nobody listens at the edge's address, so everything stays in the spool.
  const offline = startAgent([...sameSpool, '--edge', `http://127.0.0.1:${await freePort()}`])
  const commitFile = join(spool, 'commit.json')
  await until(() => {
    try {
      const commit = JSON.parse(readFileSync(commitFile, 'utf8')) as {
        position: { offset: number } | null
      }
      return commit.position?.offset === statSync(source).size
    } catch {
      return false // not written yet
    }
  }, 'the whole file in the spool')
  offline.child.kill('SIGTERM')
  const stopped = await within(offline.exited, 'the offline agent to stop', 60_000)
  expect(stopped.code, stopped.stderr).toBe(0)
  expect(summaryOf(stopped).spool.depth).toBeGreaterThan(1)

  // Damage the second record of the first segment holding dns events.
  const segment = readdirSync(spool)
    .filter((n) => n.startsWith('detail-') && n.endsWith('.seg'))
    .sort()[0]
  if (!segment) throw new Error(`no detail segment in ${readdirSync(spool).join(', ')}`)
  const bytes = readFileSync(join(spool, segment))
  const victim = segmentRecords(bytes)[1]
  if (!victim) throw new Error(`${segment} holds fewer than two records`)
  const at = victim.payloadOffset + Math.floor(victim.length / 2)
  bytes[at] = (bytes[at] as number) ^ 0xff
  writeFileSync(join(spool, segment), bytes)
  const lost = new Set(victim.events.map(eventKey))
  expect(lost.size).toBeGreaterThan(0)

  const exit = await within(
    startAgent([...sameSpool, '--edge', url]).exited,
    'the agent to deliver the spool',
    180_000,
  )
  expect(exit.code, exit.stderr).toBe(0)
  expect(exit.stderr).toMatch(
    new RegExp(
      `spool: skipped \\d+ damaged bytes in \\S*/${segment} at ${victim.offset} \\(payload checksum mismatch, record ${victim.lsn}\\)`,
    ),
  )
  const summary = summaryOf(exit)
  expect(summary.sent.tombstones).toBe(1)
  expect(summary.spool.depth).toBe(0)

  const expected = events.filter((e) => !lost.has(eventKey(e)))
  const alerts = await alertsOfRule(url, credentials.apiToken, TOR_RULE, TOR_CLASS)
  expect(alerts).toHaveLength(torLookups(expected))

  await stack.stop()
  expectArchivedOnce(fault.persist(), expected, eventKey)
})
