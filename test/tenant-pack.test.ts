/**
 * A tenant's own indicator list travels the whole way: set through the API, served in the
 * tenant's rule pack (GET /v1/pack), verified and hot-swapped by the running agent, matched by
 * the native sensor, and the resulting intel event stored at the edge. (That other tenants'
 * sensors do not get it is tested in edge/src/pack/tenant-pack.test.ts.)
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { startAgent, summaryOf } from './faults/agent-process.ts'
import { archivedEvents } from './faults/archive.ts'
import { useFaultStack } from './faults/fault-stack.ts'
import { writeMixedCapture } from './faults/mixed-capture.ts'
import { within } from './faults/poll.ts'

const fault = useFaultStack('tenant-pack')

it("matches the tenant's own list on its sensor after a pack swap", async () => {
  const { url, credentials } = fault.stack()
  const headers = {
    Authorization: `Bearer ${credentials.apiToken}`,
    'Content-Type': 'application/json',
  }
  const listed = (await (await fetch(`${url}/api/v1/settings`, { headers })).json()) as {
    tenants: { id: string }[]
  }
  const tenant = listed.tenants[0]?.id
  if (!tenant) throw new Error('the seeded customer admin sees no tenant')
  const put = await fetch(`${url}/api/v1/settings/${tenant}/lists`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ lists: [{ name: 'watch', ioc: 'domain', entries: ['example.org'] }] }),
  })
  expect(put.status, await put.clone().text()).toBe(200)

  // The mix (seed 7, ~45 s of capture time) looks up clean.example.org 4 s and 15 s in. At 3x
  // the capture's pace the second lookup is read ~5 s after the start, well after the first pack
  // poll (at start) has swapped the tenant's pack in; the sensor reads no faster than the pace.
  const capture = join(fault.dir(), 'mixed.pcap')
  await writeMixedCapture(capture)
  const spool = join(fault.dir(), 'spool')
  const agent = startAgent([
    capture,
    '--edge',
    url,
    '--token',
    credentials.sensor.token,
    '--spool-dir',
    spool,
    '--speed',
    '3',
    '--pack-poll',
    '2s',
    '--heartbeat-interval',
    '0',
  ])
  const exit = await within(agent.exited, 'the agent to replay the capture', 120_000)
  expect(exit.code, exit.stderr).toBe(0)
  const summary = summaryOf(exit) as ReturnType<typeof summaryOf> & {
    packs?: { version?: string; swaps?: number }
  }
  expect(summary.packs?.version).toMatch(/\+tenant\./)
  const saved = JSON.parse(readFileSync(join(spool, 'pack.json'), 'utf8')) as { version: string }
  expect(saved.version).toBe(summary.packs?.version)

  await fault.stack().stop()
  const hits = archivedEvents(fault.persist()).filter(
    (e) => e.kind === 'intel' && e.list === 'tenant.watch',
  )
  expect(hits.length).toBeGreaterThan(0)
  for (const e of hits) expect([e.indicator, e.value]).toEqual(['example.org', 'clean.example.org'])
})
