// The benign captures of the shared data set (labelled "no threat alert") must give no alert of
// any rule of the pack, through the same matcher and runtime as production.
import { basename } from 'node:path'
import { compilePack, createEngine, createIntelMatcher } from '@socbox/dsl'
import { describe, expect, it, vi } from 'vitest'
import { loadRules } from '../load-rules.ts'
import { sharedCaptures } from './shared-captures.ts'
import { dnsQueryEvents, tsharkAvailable } from './tshark-dns-events.ts'

// CPU-bound (properties, captures, whole rule folders): room for a busy 2-core CI machine.
vi.setConfig({ testTimeout: 60_000 })

const captures = tsharkAvailable() ? sharedCaptures('BENIGN') : []

describe.skipIf(captures.length === 0)('benign captures', () => {
  const { files, intel } = loadRules()
  const { pack } = compilePack(files, intel.lists)
  for (const pcap of captures) {
    it(`${basename(pcap)} gives no alert`, () => {
      if (!pack) throw new Error('the pack does not compile')
      const engine = createEngine(pack)
      const ctx = { tenant: 'benign', sensor: 'benign' }
      const events = dnsQueryEvents(pcap).map(createIntelMatcher(pack.plan))
      const alerts = [...engine.evaluate(events, ctx).alerts, ...engine.flush(ctx).alerts]
      expect(alerts.map((a) => a.key)).toEqual([])
    })
  }
})
