// nDPI's iodine capture (LGPL-3.0, read in place): one host tunnels through *.pirate.sea with
// 222 different names in 24 s. SB-C2-0001 must report it once, keyed by host and domain.
import { compilePack, createEngine, createIntelMatcher } from '@socbox/dsl'
import { describe, expect, it, vi } from 'vitest'
import { loadRules } from '../../load-rules.ts'
import { sharedCapture } from '../shared-captures.ts'
import { dnsQueryEvents, tsharkAvailable } from '../tshark-dns-events.ts'

// CPU-bound (properties, captures, whole rule folders): room for a busy 2-core CI machine.
vi.setConfig({ testTimeout: 60_000 })

const pcap = sharedCapture('C2/ndpi__dns-tunnel-iodine.pcap')

describe.skipIf(!tsharkAvailable() || pcap === undefined)('iodine DNS tunnel capture', () => {
  it('gives exactly one SB-C2-0001 alert for 10.0.2.30 through pirate.sea', () => {
    const { files, intel } = loadRules()
    const { pack } = compilePack(files, intel.lists)
    if (!pack) throw new Error('the pack does not compile')
    const events = dnsQueryEvents(pcap ?? '').map(createIntelMatcher(pack.plan))
    expect(events.length).toBe(222)
    const engine = createEngine(pack)
    const ctx = { tenant: 'demo', sensor: 'demo' }
    const alerts = [...engine.evaluate(events, ctx).alerts, ...engine.flush(ctx).alerts]
    // SB-HEUR-0006 (TXT/NULL record volume) sees the same tunnel from its record types.
    expect(alerts.map((a) => [a.rule, a.key])).toEqual([
      ['SB-C2-0001', 'SB-C2-0001|10.0.2.30|pirate.sea'],
      ['SB-HEUR-0006', 'SB-HEUR-0006|10.0.2.30|pirate.sea'],
    ])
    expect(alerts[0]?.title.en).toBe('Possible DNS tunnel from 10.0.2.30 through pirate.sea')
    expect(alerts[0]?.correlation?.values).toEqual({ 'distinct(query)': 100 })
    expect(alerts[0]?.explain.ja).toContain('pirate.sea 配下の異なる名前を 100 件')
  })
})
