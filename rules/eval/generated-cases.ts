// Classes the dev set has no real capture for (redirector, malvertising… see the data README's
// known gaps) are checked on generated traffic built from real list entries: for each shipped
// domain list of a threat class, a sample of its entries is looked up (DNS) and requested (HTTP)
// by an internal host; for each URL list, a sample of its web addresses is requested (a path-only
// entry on an unlisted host, as on a hacked site). The reference matcher attaches intel hits as
// the sensor would, and the pack's engine must raise an alert of that class.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createEngine, createIntelMatcher, type RulePack, type SocEvent } from '@socbox/dsl'

export type GeneratedOutcome = { class: string; list: string; entries: number; detected: number }

/** A spread of entries (every k-th, so not only one feed's corner of the sorted list). */
export function sampleEntries(entries: readonly string[], n: number): string[] {
  const plain = entries.filter((e) => /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(e))
  const step = Math.max(1, Math.floor(plain.length / n))
  const out: string[] = []
  for (let i = 0; i < plain.length && out.length < n; i += step) out.push(plain[i] as string)
  return out
}

// Download classes are about the file, so their HTTP request fetches a program.
function eventsFor(name: string, ts: number, host: string, download: boolean): SocEvent[] {
  const src = { ip: host, port: 50000, internal: true }
  const response = download
    ? { uri: '/update.exe', status: 200, content_type: 'application/octet-stream', body_len: 65536 }
    : { uri: '/', status: 200 }
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
      kind: 'http',
      ts: ts + 100,
      src,
      dst: { ip: '192.0.2.80', port: 80, internal: false },
      method: 'GET',
      host: name,
      ...response,
    },
  ]
}

/** A spread of URL-list entries (host/path and path-only alike). */
export function sampleUrlEntries(entries: readonly string[], n: number): string[] {
  const step = Math.max(1, Math.floor(entries.length / n))
  const out: string[] = []
  for (let i = 0; i < entries.length && out.length < n; i += step) out.push(entries[i] as string)
  return out
}

// The request for a URL entry (match-plan form `host/path?query`, or `/path` on any host).
function urlEventsFor(entry: string, ts: number, host: string, download: boolean): SocEvent[] {
  const slash = entry.indexOf('/')
  const server = slash <= 0 ? 'shop.example.com' : entry.slice(0, slash)
  const uri = slash < 0 ? '/' : entry.slice(slash)
  return [
    {
      kind: 'http',
      ts,
      src: { ip: host, port: 50000, internal: true },
      dst: { ip: '192.0.2.80', port: 80, internal: false },
      method: 'GET',
      host: server,
      uri,
      status: 200,
      ...(download ? { content_type: 'application/octet-stream', body_len: 65536 } : {}),
    },
  ]
}

export function runGeneratedCases(
  pack: RulePack,
  listsDir: string,
  perList = 20,
): GeneratedOutcome[] {
  const match = createIntelMatcher(pack.plan)
  const outcomes: GeneratedOutcome[] = []
  for (const planned of pack.plan.intel) {
    // Lists kept in rules/intel itself (not built from feeds) carry no class: their rule tests cover them.
    const path = join(listsDir, `${planned.list}.json`)
    if ((planned.ioc !== 'domain' && planned.ioc !== 'url') || !existsSync(path)) continue
    const file = JSON.parse(readFileSync(path, 'utf8')) as {
      class: string
      entries: string[]
    }
    if (/^info\./.test(file.class)) continue
    const url = planned.ioc === 'url'
    const sample = url
      ? sampleUrlEntries(file.entries, perList)
      : sampleEntries(file.entries, perList)
    let detected = 0
    sample.forEach((name, i) => {
      // One engine and one host per entry: each entry must be caught on its own.
      const engine = createEngine(pack)
      const download = file.class.startsWith('download.')
      const build = url ? urlEventsFor : eventsFor
      const events = build(name, 1_700_000_000_000 + i * 1000, `10.0.${i}.5`, download).map(match)
      const alerts = [...engine.evaluate(events, { tenant: 'eval', sensor: 'generated' }).alerts]
      alerts.push(...engine.flush({ tenant: 'eval', sensor: 'generated' }).alerts)
      if (alerts.some((a) => a.class === file.class)) detected++
    })
    outcomes.push({ class: file.class, list: planned.list, entries: sample.length, detected })
  }
  return outcomes.sort((a, b) => (a.list < b.list ? -1 : 1))
}
