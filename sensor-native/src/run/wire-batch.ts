/**
 * The agent's view of a wire batch v1 (dsl/schema/README.md §2): enough to split a batch by
 * delivery class, join small batches into one, and build one from events. Columnar groups make
 * all three cheap: a group moves as a whole, and only its `ts` column (delta-coded) needs care.
 */
import { classOfKind, type SpoolClass } from '../spool/batch-class.ts'

export type WireGroup = { kind: string; n: number; cols: Record<string, unknown[]> }
export type WireBatch = { v: 1; n: number; groups: WireGroup[] }

export function emptyBatch(): WireBatch {
  return { v: 1, n: 0, groups: [] }
}

export function parseWireBatch(bytes: Uint8Array | string): WireBatch {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8')
  const parsed = JSON.parse(text) as Partial<WireBatch>
  if (parsed.v !== 1 || !Array.isArray(parsed.groups) || typeof parsed.n !== 'number') {
    throw new Error(`the sensor produced a batch that is not wire v1: ${text.slice(0, 80)}`)
  }
  return parsed as WireBatch
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
 * of first appearance, columns in order of first appearance, `a.b` for fields of objects.
 */
export function encodeEvents(events: Record<string, unknown>[]): WireBatch {
  const groups = new Map<string, { rows: Record<string, unknown>[]; names: string[] }>()
  for (const event of events) {
    const kind = String(event.kind)
    let group = groups.get(kind)
    if (!group) {
      group = { rows: [], names: [] }
      groups.set(kind, group)
    }
    const row: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(event)) {
      if (key === 'kind') continue
      if (isObject(value)) for (const [k, v] of Object.entries(value)) row[`${key}.${k}`] = v
      else row[key] = value
    }
    for (const name of Object.keys(row)) if (!group.names.includes(name)) group.names.push(name)
    group.rows.push(row)
  }
  const batch = emptyBatch()
  for (const [kind, { rows, names }] of groups) {
    const cols: Record<string, unknown[]> = {}
    for (const name of names) cols[name] = rows.map((r) => r[name] ?? null)
    const ts = (cols.ts ?? []) as number[]
    cols.ts = ts.map((t, i) => (i === 0 ? t : t - (ts[i - 1] as number)))
    batch.groups.push({ kind, n: rows.length, cols })
    batch.n += rows.length
  }
  return batch
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
