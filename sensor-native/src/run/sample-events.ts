/**
 * For tests: an events file as `socbox events` would print it, every event unique (dns by query,
 * conn by bytes, intel by value), so a test can tell a lost or doubled event from the rest.
 */
import { writeFileSync } from 'node:fs'

const ep = (ip: string, port: number, internal: boolean) => ({ ip, port, internal })

export function sampleEvents(count: number, startTs = 1_700_000_000_000, stepMs = 1) {
  const events: Record<string, unknown>[] = []
  for (let i = 0; i < count; i++) {
    const ts = startTs + i * stepMs
    const src = ep('10.0.0.5', 40000 + (i % 1000), true)
    const dst = ep('198.51.100.7', 53, false)
    if (i % 10 === 9) {
      events.push({
        kind: 'intel',
        ts,
        flow: `1:f${i}`,
        src,
        dst,
        list: 'c2',
        ioc: 'domain',
        indicator: 'evil.example',
        value: `i${i}.evil.example`,
        field: 'query',
        on: 'dns',
      })
    } else if (i % 2 === 0) {
      events.push({ kind: 'conn', ts, flow: `1:f${i}`, src, dst, proto: 'udp', bytes_out: i })
    } else {
      events.push({
        kind: 'dns',
        ts,
        flow: `1:f${i}`,
        src,
        dst,
        query: `q${i}.example`,
        qtype: 'A',
      })
    }
  }
  return events
}

export function writeEventsFile(path: string, events: Record<string, unknown>[]): void {
  writeFileSync(path, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`)
}

/** One string per event that names it uniquely, for comparing what was sent with what arrived. */
export function eventKey(e: Record<string, unknown>): string {
  return `${e.kind}:${e.flow}`
}
