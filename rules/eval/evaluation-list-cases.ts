// Generated cases from real lists that cannot ship (licence) but may be used for evaluation
// (shared/data README): Disconnect's FingerprintingInvasive services (CC BY-NC-SA) are the one
// real list of browser-fingerprinting sites, the class the dev set has no capture of. Each
// entry is looked up and contacted over TLS by an internal host; the pack, which ships none of
// these entries, must recognise them by its own rules. The count is a real recall figure.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createEngine, createIntelMatcher, type RulePack, type SocEvent } from '@socbox/dsl'
import type { GeneratedOutcome } from './generated-cases.ts'

type DisconnectServices = {
  categories: Record<string, Record<string, Record<string, unknown>>[]>
}

/** The domains of one Disconnect category, deduplicated, in file order. */
export function disconnectDomains(services: DisconnectServices, category: string): string[] {
  const out = new Set<string>()
  for (const service of services.categories[category] ?? [])
    for (const urls of Object.values(service))
      for (const domains of Object.values(urls))
        if (Array.isArray(domains))
          for (const d of domains) if (typeof d === 'string') out.add(d.toLowerCase())
  return [...out]
}

function eventsFor(name: string, ts: number, host: string): SocEvent[] {
  const src = { ip: host, port: 50000, internal: true }
  return [
    {
      kind: 'dns',
      ts,
      src,
      dst: { ip: '192.0.2.53', port: 53, internal: false },
      query: name,
      qtype: 'A',
      rcode: 'NOERROR',
    },
    {
      kind: 'tls',
      ts: ts + 100,
      src,
      dst: { ip: '192.0.2.44', port: 443, internal: false },
      sni: name,
      version: 'TLSv1.3',
    },
  ]
}

export function runFingerprintListCases(pack: RulePack, intelDir: string): GeneratedOutcome[] {
  const file = join(intelDir, 'disconnect/services.json')
  if (!existsSync(file)) return []
  const domains = disconnectDomains(
    JSON.parse(readFileSync(file, 'utf8')) as DisconnectServices,
    'FingerprintingInvasive',
  )
  const match = createIntelMatcher(pack.plan)
  let detected = 0
  domains.forEach((name, i) => {
    const engine = createEngine(pack)
    const host = `10.${(i >> 8) & 255}.${i & 255}.7`
    const events = eventsFor(name, 1_700_000_000_000 + i * 1000, host).map(match)
    const alerts = [...engine.evaluate(events, { tenant: 'eval', sensor: 'generated' }).alerts]
    alerts.push(...engine.flush({ tenant: 'eval', sensor: 'generated' }).alerts)
    if (alerts.some((a) => a.class === 'site.fingerprint')) detected++
  })
  return [
    {
      class: 'site.fingerprint',
      list: 'disconnect:FingerprintingInvasive',
      entries: domains.length,
      detected,
    },
  ]
}
