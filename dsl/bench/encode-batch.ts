// Events → wire batch v2 (columnar JSON), for measuring the decoder on realistic input. A plain
// writer of the documented format; the sensor's Rust encoder is the production one. Like it, it
// writes a flow the endpoints give as its protocol number, so the decoder's figure includes
// computing those ids.
import { communityIdV1 } from '../src/runtime/community-id.ts'
import type { SocEvent } from '../src/runtime/types.ts'

export function encodeBatch(events: SocEvent[]): string {
  const groups: { kind: string; n: number; cols: Record<string, unknown[]> }[] = []
  const byKind = new Map<string, { kind: string; n: number; cols: Record<string, unknown[]> }>()
  for (const event of events) {
    let group = byKind.get(event.kind)
    if (!group) {
      group = { kind: event.kind, n: 0, cols: {} }
      byKind.set(event.kind, group)
      groups.push(group)
    }
    const row = group.n++
    const set = (name: string, value: unknown) => {
      let column = group.cols[name]
      if (column === undefined) {
        column = new Array(row).fill(null)
        group.cols[name] = column
      }
      column.push(value)
    }
    for (const [key, value] of Object.entries(event)) {
      if (key === 'kind') continue
      if (key === 'flow') {
        set(key, derivable(event) ?? value)
        continue
      }
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && key !== 'hits') {
        for (const [inner, v] of Object.entries(value)) set(`${key}.${inner}`, v)
      } else set(key, value)
    }
    for (const column of Object.values(group.cols)) while (column.length <= row) column.push(null)
  }
  for (const group of groups) {
    const ts = group.cols.ts as number[]
    for (let i = ts.length - 1; i > 0; i--) ts[i] = (ts[i] ?? 0) - (ts[i - 1] ?? 0)
  }
  return JSON.stringify({ v: 2, n: events.length, groups })
}

function derivable(event: SocEvent): number | undefined {
  const { src, dst, flow } = event
  if (typeof src?.port !== 'number' || typeof dst?.port !== 'number') return undefined
  for (const proto of event.proto === 'udp' ? [17, 6] : [6, 17]) {
    if (communityIdV1(src.ip, dst.ip, proto, src.port, dst.port) === flow) return proto
  }
  return undefined
}
