/**
 * The agent's view of a wire batch (dsl/schema/README.md §2): enough to split a batch by
 * delivery class, join small batches into one, and build one from events. Columnar groups make
 * all three cheap: a group moves as a whole, and only its `ts` column (delta-coded) needs care.
 * The sensor writes v2; a v1 batch (events files, older spools) is also a valid v2 one (v2 only
 * adds derived flows), so what the agent builds is always v2.
 */
import { communityIdV1 } from '@socbox/dsl/runtime'
import { classOfKind, type SpoolClass } from '../spool/batch-class.ts'

export type WireGroup = { kind: string; n: number; cols: Record<string, unknown[]> }
export type WireBatch = { v: 2; n: number; groups: WireGroup[] }

export function emptyBatch(): WireBatch {
  return { v: 2, n: 0, groups: [] }
}

export function parseWireBatch(bytes: Uint8Array | string): WireBatch {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')
  const parsed = JSON.parse(text) as { v?: unknown; n?: unknown; groups?: unknown }
  if (
    (parsed.v !== 1 && parsed.v !== 2) ||
    !Array.isArray(parsed.groups) ||
    typeof parsed.n !== 'number'
  ) {
    throw new Error(`the sensor produced a batch that is not wire v1 or v2: ${text.slice(0, 80)}`)
  }
  return { ...(parsed as Omit<WireBatch, 'v'>), v: 2 }
}

/** Splits a batch into one batch per delivery class, groups kept whole and in order. */
export function splitByClass(batch: WireBatch): Map<SpoolClass, WireBatch> {
  const out = new Map<SpoolClass, WireBatch>()
  for (const group of batch.groups) {
    const cls = classOfKind(group.kind)
    let part = out.get(cls)
    if (!part) {
      part = emptyBatch()
      out.set(cls, part)
    }
    part.groups.push(group)
    part.n += group.n
  }
  return out
}

/** Appends `more` to `into` (mutating it), one group per kind, ts deltas re-based. */
export function appendBatch(into: WireBatch, more: WireBatch): void {
  for (const group of more.groups) {
    const same = into.groups.find((g) => g.kind === group.kind)
    if (same) appendGroup(same, group)
    else into.groups.push(cloneGroup(group))
    into.n += group.n
  }
}

function cloneGroup(group: WireGroup): WireGroup {
  const cols: Record<string, unknown[]> = {}
  for (const [name, values] of Object.entries(group.cols)) cols[name] = [...values]
  return { kind: group.kind, n: group.n, cols }
}

function appendGroup(into: WireGroup, more: WireGroup): void {
  const lastTs = absoluteTimestamps(into).at(-1) ?? 0
  for (const name of new Set([...Object.keys(into.cols), ...Object.keys(more.cols)])) {
    const left = into.cols[name] ?? new Array(into.n).fill(null)
    const right = more.cols[name] ?? new Array(more.n).fill(null)
    if (name === 'ts' && more.n > 0 && into.n > 0) {
      const rebased = [...right]
      rebased[0] = (right[0] as number) - lastTs
      into.cols[name] = [...left, ...rebased]
    } else into.cols[name] = [...left, ...right]
  }
  into.n += more.n
}

/** The group's `ts` column decoded from deltas to absolute ms. */
export function absoluteTimestamps(group: WireGroup): number[] {
  const out: number[] = []
  let ts = 0
  for (const d of group.cols.ts ?? []) {
    ts = out.length === 0 ? (d as number) : ts + (d as number)
    out.push(ts)
  }
  return out
}

/** The latest capture time in the batch, or undefined when it holds no events. */
export function latestTimestamp(batch: WireBatch): number | undefined {
  let latest: number | undefined
  for (const group of batch.groups) {
    for (const ts of absoluteTimestamps(group)) if (latest === undefined || ts > latest) latest = ts
  }
  return latest
}

/**
 * Builds a batch from flat events (as `socbox events` prints them): one group per kind in order
 * of first appearance, columns in order of first appearance, `a.b` for fields of objects, and a
 * `flow` that the event's endpoints give written as its protocol number, as the sensor does.
 */
export function encodeEvents(events: Record<string, unknown>[]): WireBatch {
  // Columns are filled directly (no row objects): a column first seen at event i starts with i
  // nulls, and every column is padded to the group's length after each event.
  const groups = new Map<string, { n: number; cols: Map<string, unknown[]> }>()
  const put = (
    group: { n: number; cols: Map<string, unknown[]> },
    name: string,
    value: unknown,
  ) => {
    let col = group.cols.get(name)
    if (!col) {
      col = new Array(group.n).fill(null)
      group.cols.set(name, col)
    }
    col.push(value ?? null)
  }
  for (const event of events) {
    const kind = String(event.kind)
    let group = groups.get(kind)
    if (!group) {
      group = { n: 0, cols: new Map() }
      groups.set(kind, group)
    }
    for (const key in event) {
      if (key === 'kind') continue
      const value = key === 'flow' ? derivableFlow(event) : event[key]
      if (isObject(value)) for (const k in value) put(group, `${key}.${k}`, value[k])
      else put(group, key, value)
    }
    group.n++
    for (const col of group.cols.values()) if (col.length < group.n) col.push(null)
  }
  const batch = emptyBatch()
  for (const [kind, { n, cols }] of groups) {
    const ts = (cols.get('ts') ?? []) as number[]
    for (let i = ts.length - 1; i > 0; i--) ts[i] = (ts[i] as number) - (ts[i - 1] as number)
    batch.groups.push({ kind, n, cols: Object.fromEntries(cols) })
    batch.n += n
  }
  return batch
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** The protocol number under which the event's endpoints give its `flow`, else the flow. */
function derivableFlow(event: Record<string, unknown>): unknown {
  const { flow, src, dst } = event
  if (typeof flow !== 'string' || !isObject(src) || !isObject(dst)) return flow
  const [a, b, sp, dp] = [src.ip, dst.ip, src.port, dst.port]
  if (typeof a !== 'string' || typeof b !== 'string') return flow
  if (!isPort(sp) || !isPort(dp)) return flow
  // UDP first when the event says so: one hash in the common case.
  const order = event.proto === 'udp' ? [17, 6] : [6, 17]
  for (const proto of order) if (communityIdV1(a, b, proto, sp, dp) === flow) return proto
  return flow
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 65535
}
