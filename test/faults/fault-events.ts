/**
 * The events the fault tests replay: an events file as `socbox events` prints it, every event
 * unique by kind and flow (so a lost or doubled event shows), with a known number of Tor2web
 * lookups that each raise exactly one SB-TOR-0001 alert (its key is source address and query).
 */
import { writeFileSync } from 'node:fs'

export const TOR_RULE = 'SB-TOR-0001'

export type FaultEvent = Record<string, unknown> & { kind: string; flow: string }

const endpoint = (ip: string, port: number, internal: boolean) => ({ ip, port, internal })

/**
 * `count` events, one in `torEvery` a Tor2web lookup (with the intel hit the native sensor
 * attaches), the rest conn and ordinary dns alternately; timestamps `stepMs` apart, so a
 * replay at `--speed 1` lasts count × stepMs.
 */
export function faultEvents(count: number, options: { torEvery?: number; stepMs?: number } = {}) {
  const torEvery = options.torEvery ?? 50
  const stepMs = options.stepMs ?? 1
  const start = Date.now() - 60_000
  const events: FaultEvent[] = []
  for (let i = 0; i < count; i++) {
    const base = {
      ts: start + i * stepMs,
      flow: `1:fault${i}`,
      src: endpoint('10.0.0.66', 40_000 + (i % 20_000), true),
      dst: endpoint('198.51.100.53', 53, false),
    }
    if (i % torEvery === torEvery - 1) {
      events.push({
        kind: 'dns',
        ...base,
        query: `h${i}.onion.to`,
        qtype: 'A',
        proto: 'udp',
        hits: [{ list: 'maltrail.onion', field: 'query', indicator: 'onion.to' }],
      })
    } else if (i % 2 === 0) {
      events.push({ kind: 'conn', ...base, proto: 'udp', app: 'dns', orig_bytes: i, resp_bytes: 0 })
    } else {
      events.push({ kind: 'dns', ...base, query: `q${i}.example.org`, qtype: 'A', proto: 'udp' })
    }
  }
  return events
}

export function torLookups(events: FaultEvent[]): number {
  return events.filter((e) => Array.isArray(e.hits)).length
}

export function writeEventsFile(path: string, events: FaultEvent[]): void {
  writeFileSync(path, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`)
}

export function eventKey(e: Record<string, unknown>): string {
  return `${e.kind}:${e.flow}`
}

export const TOR_CLASS = 'suspicious.tor'
