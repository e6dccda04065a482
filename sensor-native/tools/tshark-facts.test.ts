import { join } from 'node:path'
import { expect, it } from 'vitest'
import { dataRoot } from './paths.ts'
import { tsharkFacts } from './tshark-facts.ts'

// One real run of tshark end to end; the other captures are covered by the stored oracle files.
it('extracts DNS, SNI, HTTP and flows from a real capture', () => {
  const result = tsharkFacts(join(dataRoot, 'PARSERS/ja4/pcap/latest.pcapng'))
  if (result instanceof Error) throw result
  const { dns, tls, http, flows } = result.facts
  expect(dns.length).toBeGreaterThan(0)
  for (const t of dns) expect(t.query).toBe(t.query.toLowerCase())
  expect(tls.map((s) => s.sni).length).toBeGreaterThan(0)
  expect(http.length).toBeGreaterThan(0)
  expect(flows.tcp).toBeGreaterThan(0)
  expect(flows.udp).toBeGreaterThan(0)
}, 30_000)

it('returns an error for a file that is not a capture', () => {
  expect(tsharkFacts(join(dataRoot, 'README.md'))).toBeInstanceOf(Error)
})
