// The bundled demo capture (Maltrail corpus dns_queries.pcap, MIT) holds one lookup of a Tor2web
// gateway, badsite.onion.to, among five other names: it must give exactly one SB-TOR-0001 alert.
import { existsSync, readFileSync } from 'node:fs'
import { compilePack, createEngine, createIntelMatcher, type SocEvent } from '@socbox/dsl'
import { describe, expect, it, vi } from 'vitest'
import { loadRules } from '../../load-rules.ts'
import { communityId, dnsQueryEvents, tsharkAvailable } from '../tshark-dns-events.ts'

// CPU-bound (properties, captures, whole rule folders): room for a busy 2-core CI machine.
vi.setConfig({ testTimeout: 60_000 })

const fixture = new URL('./maltrail__dns_queries.events.ndjson', import.meta.url)
const pcap = new URL('../../../../shared/data/MALSITE/maltrail__dns_queries.pcap', import.meta.url)
  .pathname
const events = readFileSync(fixture, 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as SocEvent)

describe('demo capture maltrail__dns_queries.pcap', () => {
  it('gives exactly one SB-TOR-0001 alert, for badsite.onion.to', () => {
    const { files, intel } = loadRules()
    const { pack } = compilePack(files, intel.lists)
    if (!pack) throw new Error('the pack does not compile')
    const withHits = events.map(createIntelMatcher(pack.plan))
    const { alerts, errors } = createEngine(pack).evaluate(withHits, {
      tenant: 'demo',
      sensor: 'demo',
    })
    expect(errors).toEqual([])
    // Other rules may report other names of this capture; this rule reports the one lookup.
    const tor = alerts.filter((a) => a.rule === 'SB-TOR-0001')
    expect(tor.map((a) => a.key)).toEqual(['SB-TOR-0001|10.0.0.66|badsite.onion.to'])
    expect(tor[0]?.title.en).toBe('Lookup of a Tor2web gateway: badsite.onion.to')
    expect(tor[0]?.explain.ja).toContain(
      '端末 10.0.0.66 が Tor2web ゲートウェイ badsite.onion.to の名前解決',
    )
  })

  it.skipIf(!tsharkAvailable() || !existsSync(pcap))(
    'fixture matches what tshark reads from the capture',
    () => {
      expect(dnsQueryEvents(pcap)).toEqual(events)
    },
  )

  it('computes community ids as the spec example', () => {
    // corelight/community-id-spec baseline: TCP 128.232.110.120:34855 → 66.35.250.204:80.
    expect(communityId('128.232.110.120', 34855, '66.35.250.204', 80, 6)).toBe(
      '1:LQU9qZlK+B5F3KDmev6m5PMibrg=',
    )
  })
})
