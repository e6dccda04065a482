/**
 * Builds wire batches (dsl/schema/README.md §2) the way the sensor does: columnar JSON, `ts`
 * delta-encoded, gzipped.
 */
type Endpoint = { ip: string; port: number; internal: boolean }
export type DnsEvent = {
  ts: number
  flow: string
  src: Endpoint
  dst: Endpoint
  query: string
  qtype: string
  rcode?: string
  hits?: { list: string; field: string; indicator: string }[]
}

let flowCounter = 0

/** A DNS lookup of `query` from `srcIp`; `intelList` tags it as the sensor would on a hit. */
export function dnsEvent(
  query: string,
  options: { ts?: number; srcIp?: string; intelList?: string; indicator?: string } = {},
): DnsEvent {
  flowCounter++
  const event: DnsEvent = {
    ts: options.ts ?? 1_700_000_000_000 + flowCounter,
    flow: `1:test${flowCounter}=`,
    src: { ip: options.srcIp ?? '10.0.0.5', port: 50000 + (flowCounter % 10000), internal: true },
    dst: { ip: '8.8.8.8', port: 53, internal: false },
    query,
    qtype: 'A',
    rcode: 'NOERROR',
  }
  if (options.intelList) {
    event.hits = [
      { list: options.intelList, field: 'query', indicator: options.indicator ?? query },
    ]
  }
  return event
}

export function wireBatch(events: DnsEvent[]): string {
  const cols: Record<string, unknown[]> = {
    ts: [],
    flow: [],
    'src.ip': [],
    'src.port': [],
    'src.internal': [],
    'dst.ip': [],
    'dst.port': [],
    'dst.internal': [],
    query: [],
    qtype: [],
    rcode: [],
    hits: [],
  }
  let previous = 0
  events.forEach((e, i) => {
    cols.ts?.push(i === 0 ? e.ts : e.ts - previous)
    previous = e.ts
    cols.flow?.push(e.flow)
    cols['src.ip']?.push(e.src.ip)
    cols['src.port']?.push(e.src.port)
    cols['src.internal']?.push(e.src.internal)
    cols['dst.ip']?.push(e.dst.ip)
    cols['dst.port']?.push(e.dst.port)
    cols['dst.internal']?.push(e.dst.internal)
    cols.query?.push(e.query)
    cols.qtype?.push(e.qtype)
    cols.rcode?.push(e.rcode ?? null)
    cols.hits?.push(e.hits ?? null)
  })
  const groups = events.length ? [{ kind: 'dns', n: events.length, cols }] : []
  return JSON.stringify({ v: 1, n: events.length, groups })
}

/**
 * One group of events of any kind (flat fields, and one level of objects such as `src`) as a
 * wire batch: columns by dotted name, `ts` delta-encoded, absent values null.
 */
export function wireGroup(kind: string, events: ({ ts: number } & Record<string, unknown>)[]) {
  const names: string[] = []
  const flat = events.map((event) => {
    const row: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(event)) {
      if (key === 'ts') continue
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
        for (const [field, inner] of Object.entries(value)) row[`${key}.${field}`] = inner
      } else row[key] = value
    }
    for (const name of Object.keys(row)) if (!names.includes(name)) names.push(name)
    return row
  })
  const cols: Record<string, unknown[]> = { ts: [] }
  for (const name of names) cols[name] = flat.map((row) => row[name] ?? null)
  events.forEach((e, i) => {
    cols.ts?.push(i === 0 ? e.ts : e.ts - (events[i - 1]?.ts ?? 0))
  })
  const groups = events.length ? [{ kind, n: events.length, cols }] : []
  return JSON.stringify({ v: 1, n: events.length, groups })
}

export async function gzip(text: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}
