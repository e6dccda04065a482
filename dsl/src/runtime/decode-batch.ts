// Wire batch v2 (and v1, which v2 extends; dsl/schema/README.md §2) → events. Runs in the Worker
// on every ingest, so it validates the envelope strictly (anything malformed is a WireError
// naming group and column) but does not type-check field values: the rule closures tolerate
// wrong types.
import { communityIdV1 } from './community-id.ts'
import type { SocEvent } from './types.ts'
import { WireError } from './wire-error.ts'

/** The wire versions this decoder reads, oldest first. */
export const WIRE_VERSIONS: readonly number[] = [1, 2]

// ignoreBOM is spelled out because the Workers types require every option.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

type Column = { name: string; parent?: string; field: string; values: unknown[] }

export function decodeBatch(json: string | Uint8Array): SocEvent[] {
  const body = parseJson(json)
  if (!isPlainObject(body)) throw new WireError('a batch must be a JSON object')
  const version = body.v
  if (version !== 1 && version !== 2) {
    // A later version (a sensor newer than this edge) is told apart from a body that is no batch.
    const later = typeof version === 'number' && Number.isSafeInteger(version) && version > 2
    throw new WireError(
      later
        ? `unknown wire version ${version}: this edge reads versions ${WIRE_VERSIONS.join(' and ')}; update the edge before its sensors`
        : `"v" must be a wire version (${WIRE_VERSIONS.join(' or ')}), not ${JSON.stringify(version)}`,
      { unsupportedVersion: later },
    )
  }
  const n = body.n
  if (!isCount(n)) throw new WireError('"n" must be a non-negative integer')
  if (!Array.isArray(body.groups)) throw new WireError('"groups" must be an array')

  const groups: SocEvent[][] = []
  let total = 0
  for (let index = 0; index < body.groups.length; index++) {
    const events: SocEvent[] = []
    decodeGroup(body.groups[index], index, version, events)
    groups.push(events)
    total += events.length
  }
  if (total !== n) {
    throw new WireError(`batch says n=${n} but its groups hold ${total} events`)
  }
  return mergeByTime(groups)
}

/**
 * The groups' events in time order; equal ts keep group order, then position (as a stable sort
 * of the concatenation would). Groups are usually in time order already (the sensor writes them
 * so): then a merge of the few groups, else a stable sort.
 */
function mergeByTime(groups: SocEvent[][]): SocEvent[] {
  if (groups.length === 1) {
    const [only] = groups as [SocEvent[]]
    return isSorted(only) ? only : only.sort(byTime)
  }
  if (!groups.every(isSorted)) return groups.flat().sort(byTime)
  const out: SocEvent[] = []
  const at = groups.map(() => 0)
  for (;;) {
    let best = -1
    let bestTs = 0
    for (let g = 0; g < groups.length; g++) {
      const event = (groups[g] as SocEvent[])[at[g] as number]
      // Strictly earlier only: on a tie the earlier group wins.
      if (event !== undefined && (best < 0 || event.ts < bestTs)) {
        best = g
        bestTs = event.ts
      }
    }
    if (best < 0) return out
    out.push((groups[best] as SocEvent[])[at[best] as number] as SocEvent)
    at[best] = (at[best] as number) + 1
  }
}

const byTime = (a: SocEvent, b: SocEvent) => a.ts - b.ts

function isSorted(events: SocEvent[]): boolean {
  for (let i = 1; i < events.length; i++)
    if ((events[i] as SocEvent).ts < (events[i - 1] as SocEvent).ts) return false
  return true
}

function parseJson(json: string | Uint8Array): unknown {
  let text: string
  if (typeof json === 'string') text = json
  else if (json instanceof Uint8Array) {
    try {
      text = utf8.decode(json)
    } catch {
      throw new WireError('the batch is not valid UTF-8')
    }
  } else throw new WireError('a batch must be a string or a Uint8Array')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new WireError(`the batch is not valid JSON (${(error as Error).message})`)
  }
}

function decodeGroup(group: unknown, g: number, version: 1 | 2, out: SocEvent[]): void {
  if (!isPlainObject(group)) throw new WireError('a group must be an object', { group: g })
  const { kind, n, cols } = group
  if (typeof kind !== 'string' || kind === '') {
    throw new WireError('"kind" must be a non-empty string', { group: g })
  }
  if (!isCount(n)) throw new WireError('"n" must be a non-negative integer', { group: g })
  if (!isPlainObject(cols)) throw new WireError('"cols" must be an object', { group: g })

  const columns = readColumns(cols, n, g)
  const ts = decodeTimestamps(cols.ts, n, g)
  // v2: a number in `flow` is the IP protocol under which the endpoints give the community id.
  const derived = version === 2 ? (cols.flow as unknown[] | undefined) : undefined
  for (let i = 0; i < n; i++) {
    const event: SocEvent = { kind, ts: ts[i] as number }
    for (const column of columns) {
      const value = column.values[i]
      if (value === null || value === undefined) continue
      if (column.parent === undefined) {
        event[column.field] = value
        continue
      }
      let parent = event[column.parent] as Record<string, unknown> | undefined
      if (parent === undefined) {
        parent = {}
        event[column.parent] = parent
      }
      parent[column.field] = value
    }
    if (derived !== undefined && typeof derived[i] === 'number') deriveFlow(event, g, i)
    out.push(event)
  }
}

function deriveFlow(event: SocEvent, g: number, i: number): void {
  const proto = event.flow as unknown as number
  const { src, dst } = event
  const flow =
    (proto === 6 || proto === 17 || proto === 132) &&
    typeof src?.ip === 'string' &&
    typeof dst?.ip === 'string' &&
    isPort(src.port) &&
    isPort(dst.port)
      ? communityIdV1(src.ip, dst.ip, proto, src.port, dst.port)
      : undefined
  if (flow === undefined) {
    throw new WireError(
      `entry ${i} asks to derive the flow under protocol ${JSON.stringify(proto)}, which needs protocol 6, 17 or 132 and an IP address and port on both sides`,
      { group: g, column: 'flow' },
    )
  }
  event.flow = flow
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535
}

function readColumns(cols: Record<string, unknown>, n: number, g: number): Column[] {
  const names = Object.keys(cols)
  const plain = new Set(names.filter((name) => !name.includes('.')))
  const columns: Column[] = []
  for (const name of names) {
    const values = cols[name]
    if (!Array.isArray(values))
      throw new WireError('a column must be an array', { group: g, column: name })
    if (values.length !== n) {
      throw new WireError(`has ${values.length} entries, the group has n=${n}`, {
        group: g,
        column: name,
      })
    }
    if (name === 'ts') continue
    if (name === 'kind')
      throw new WireError('"kind" is set by the group, not a column', { group: g, column: name })
    const parts = name.split('.')
    if (parts.length > 2 || parts.some((part) => part === '')) {
      throw new WireError('a column name has at most one dot between two names', {
        group: g,
        column: name,
      })
    }
    // A key named __proto__ would replace the event's prototype instead of setting a field.
    if (parts.includes('__proto__'))
      throw new WireError('reserved column name', { group: g, column: name })
    const [first, second] = parts as [string, string | undefined]
    if (second === undefined) {
      columns.push({ name, field: first, values })
      continue
    }
    if (first === 'ts' || plain.has(first)) {
      throw new WireError(`"${first}" is both a column and an object of columns`, {
        group: g,
        column: name,
      })
    }
    columns.push({ name, parent: first, field: second, values })
  }
  return columns
}

function decodeTimestamps(column: unknown, n: number, g: number): number[] {
  if (n === 0) return []
  if (column === undefined) throw new WireError('every group needs a "ts" column', { group: g })
  const deltas = column as unknown[]
  const ts: number[] = []
  let previous = 0
  for (let i = 0; i < n; i++) {
    const delta = deltas[i]
    if (typeof delta !== 'number' || !Number.isSafeInteger(delta)) {
      throw new WireError(`entry ${i} is not an integer`, { group: g, column: 'ts' })
    }
    previous = i === 0 ? delta : previous + delta
    if (!Number.isSafeInteger(previous)) {
      throw new WireError(`entry ${i} overflows`, { group: g, column: 'ts' })
    }
    ts.push(previous)
  }
  return ts
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
