// Wire batch v2 (and v1, which v2 extends; dsl/schema/README.md §2) → events. Runs in the Worker
// on every ingest, so it validates the envelope strictly (anything malformed is a WireError
// naming group and column) but does not type-check field values: the rule closures tolerate
// wrong types.
//
// Speed (ARCHITECTURE.md: decode + evaluate ≤ 2 ms per 1,000 events): JSON.parse does the
// reading; each group is then planned once (which columns are plain fields, which build an
// object such as `src`), its events made, and filled a column at a time, each column by the
// store loop of its own field (field-setters.ts), endpoints made by a constructor (WireEndpoint).
// Flows to derive are hashed first, from the endpoint columns, by community-id.ts, which
// remembers the recent ones. They are hashed at once, not on first read through an accessor: the Worker
// hands the events to the sensor's Durable Object, and that call serializes every property, so
// an accessor (itself as dear to define as a remembered hash) would only move the cost there.
import { communityIdV1 } from './community-id.ts'
import { type ColumnStore, FIELD_STORES } from './field-setters.ts'
import { sortByTime } from './sort-by-time.ts'
import type { SocEvent } from './types.ts'
import { WireError } from './wire-error.ts'

/** The wire versions this decoder reads, oldest first. */
export const WIRE_VERSIONS: readonly number[] = [1, 2]

// ignoreBOM is spelled out because the Workers types require every option.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * One key of the events of a group, in column order: a plain column (`fields` empty), or an
 * object such as `src` built from its columns `src.ip`, `src.port`, … (`columns` holds one
 * column per field). All slots have one shape, so the build loop reads them monomorphically.
 */
type Slot = {
  name: string
  /** Stores a column of the slot's values in the events (field-setters.ts: one loop per field). */
  store: ColumnStore
  /** Plain: the column; object: unused (empty). */
  column: unknown[]
  /** Object: its field names in column order. */
  fields: string[]
  /** Object: one column per field. */
  columns: unknown[][]
  /** An endpoint object with exactly the fields ip, port, internal (in that order). */
  endpoint: boolean
  /** v2 `flow`: a number asks to derive the flow (the IP protocol to hash it under). */
  derive: boolean
}

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
  const groups = body.groups
  if (!Array.isArray(groups)) throw new WireError('"groups" must be an array')

  const events: SocEvent[] = []
  const times: number[] = []
  for (let index = 0; index < groups.length; index++)
    decodeGroup(groups[index], index, version, events, times)
  if (events.length !== n) {
    throw new WireError(`batch says n=${n} but its groups hold ${events.length} events`)
  }
  // Equal ts keep group order, then position.
  return sortByTime(events, times)
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

function decodeGroup(
  group: unknown,
  g: number,
  version: 1 | 2,
  events: SocEvent[],
  times: number[],
): void {
  if (!isPlainObject(group)) throw new WireError('a group must be an object', { group: g })
  const { kind, n, cols } = group
  if (typeof kind !== 'string' || kind === '') {
    throw new WireError('"kind" must be a non-empty string', { group: g })
  }
  if (!isCount(n)) throw new WireError('"n" must be a non-negative integer', { group: g })
  if (!isPlainObject(cols)) throw new WireError('"cols" must be an object', { group: g })

  const slots = planSlots(cols, n, g, version)
  if (n === 0) return
  const ts = cols.ts
  if (ts === undefined) throw new WireError('every group needs a "ts" column', { group: g })
  checkTimestamps(ts as unknown[], n, g)
  // The flows first: a bad one refuses the batch before any event is filled.
  const flows = version === 2 ? derivedFlows(cols, n, g) : undefined
  const deltas = ts as number[]
  const at = events.length
  let time = 0
  for (let i = 0; i < n; i++) {
    time = i === 0 ? (deltas[0] as number) : time + (deltas[i] as number)
    events.push(new WireEvent(kind, time))
    times.push(time)
  }
  // Column by column: each event gets its keys in column order all the same.
  if (slots === undefined) {
    fillColumnsApart(cols, n, flows, events, at)
    return
  }
  for (let s = 0; s < slots.length; s++) {
    const slot = slots[s] as Slot
    if (slot.fields.length === 0) {
      slot.store(events, at, slot.derive && flows !== undefined ? flows : slot.column)
      continue
    }
    slot.store(events, at, slot.endpoint ? endpoints(slot, n) : objects(slot, n))
  }
}

/** The endpoints `{ip, port, internal}` of a group, absent fields left out; null when all are. */
function endpoints(slot: Slot, n: number): unknown[] {
  const ips = slot.columns[0] as unknown[]
  const ports = slot.columns[1] as unknown[]
  const internals = slot.columns[2] as unknown[]
  const out: unknown[] = new Array(n)
  for (let i = 0; i < n; i++) {
    const ip = ips[i]
    const port = ports[i]
    const internal = internals[i]
    // The usual rows get an endpoint of one shape; the rest are built field by field.
    if (ip !== null && port !== null) out[i] = new WireEndpoint(ip, port, internal)
    else out[i] = objectAt(slot, i)
  }
  return out
}

/** The objects of an object slot, row by row. */
function objects(slot: Slot, n: number): unknown[] {
  const out: unknown[] = new Array(n)
  for (let i = 0; i < n; i++) out[i] = objectAt(slot, i)
  return out
}

function objectAt(slot: Slot, i: number): Record<string, unknown> | null {
  let object: Record<string, unknown> | null = null
  for (let f = 0; f < slot.fields.length; f++) {
    const value = (slot.columns[f] as unknown[])[i]
    if (value === null) continue
    if (object === null) object = {}
    object[slot.fields[f] as string] = value
  }
  return object
}

/**
 * The group's `flow` column with every protocol number replaced by the flow it asks for, or
 * undefined when the group has no flow to derive. Endpoints are read from their columns (`src.ip`
 * …), or from a `src`/`dst` column of whole objects: what the event's `src.ip` etc. will be.
 */
function derivedFlows(cols: Record<string, unknown>, n: number, g: number): unknown[] | undefined {
  const column = cols.flow as unknown[] | undefined
  if (column === undefined) return undefined
  let flows: unknown[] | undefined
  let srcIp: unknown[] = []
  let srcPort: unknown[] = []
  let dstIp: unknown[] = []
  let dstPort: unknown[] = []
  for (let i = 0; i < n; i++) {
    const proto = column[i]
    if (typeof proto !== 'number') continue
    if (flows === undefined) {
      flows = column.slice()
      srcIp = endpointColumn(cols, 'src', 'ip', n)
      srcPort = endpointColumn(cols, 'src', 'port', n)
      dstIp = endpointColumn(cols, 'dst', 'ip', n)
      dstPort = endpointColumn(cols, 'dst', 'port', n)
    }
    flows[i] = deriveFlow(srcIp[i], dstIp[i], srcPort[i], dstPort[i], proto, g, i)
  }
  return flows
}

/** The values of `src.ip` (…) in a group, whether sent as their own column or inside `src`. */
function endpointColumn(
  cols: Record<string, unknown>,
  name: 'src' | 'dst',
  field: 'ip' | 'port',
  n: number,
): unknown[] {
  const own = cols[`${name}.${field}`]
  if (own !== undefined) return own as unknown[]
  const whole = cols[name] as unknown[] | undefined
  // A column of whole objects holds any JSON value: read as `event.src?.ip` would be.
  if (whole !== undefined)
    return whole.map((value) => (value as Record<string, unknown> | null)?.[field])
  return new Array(n).fill(undefined)
}

function deriveFlow(
  srcIp: unknown,
  dstIp: unknown,
  srcPort: unknown,
  dstPort: unknown,
  proto: number,
  g: number,
  i: number,
): string {
  const flow =
    (proto === 6 || proto === 17 || proto === 132) &&
    typeof srcIp === 'string' &&
    typeof dstIp === 'string' &&
    isPort(srcPort) &&
    isPort(dstPort)
      ? communityIdV1(srcIp, dstIp, proto, srcPort, dstPort)
      : undefined
  if (flow === undefined) {
    throw new WireError(
      `entry ${i} asks to derive the flow under protocol ${JSON.stringify(proto)}, which needs protocol 6, 17 or 132 and an IP address and port on both sides`,
      { group: g, column: 'flow' },
    )
  }
  return flow
}

function isPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535
}

/**
 * The group's slots in column order, after checking every column (an array of n entries, a name
 * of at most one dot, no reserved name). Undefined when an object's columns are not side by side
 * (the Rust encoder never writes that): its key then goes where its first present field is, which
 * fillColumnsApart follows column by column.
 */
function planSlots(
  cols: Record<string, unknown>,
  n: number,
  g: number,
  version: 1 | 2,
): Slot[] | undefined {
  const names = Object.keys(cols)
  const slots: Slot[] = []
  let contiguous = true
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
    const { first, second } = columnName(name, g)
    if (second === undefined) {
      slots.push({
        name: first,
        store: storeOf(first),
        column: values,
        fields: [],
        columns: [],
        endpoint: false,
        derive: version === 2 && first === 'flow',
      })
      continue
    }
    if (first === 'ts' || Object.hasOwn(cols, first)) {
      throw new WireError(`"${first}" is both a column and an object of columns`, {
        group: g,
        column: name,
      })
    }
    const last = slots[slots.length - 1]
    if (last !== undefined && last.name === first && last.fields.length > 0) {
      last.fields.push(second)
      last.columns.push(values)
      continue
    }
    if (slots.some((slot) => slot.name === first)) contiguous = false
    slots.push({
      name: first,
      store: storeOf(first),
      column: [],
      fields: [second],
      columns: [values],
      endpoint: false,
      derive: false,
    })
  }
  for (const slot of slots)
    slot.endpoint =
      slot.fields.length === 3 &&
      slot.fields[0] === 'ip' &&
      slot.fields[1] === 'port' &&
      slot.fields[2] === 'internal'
  return contiguous ? slots : undefined
}

/** The field's own store, or (a column this edge does not know) a store by computed name. */
function storeOf(name: string): ColumnStore {
  return (
    FIELD_STORES.get(name) ??
    ((events, at, values) => {
      for (let i = 0; i < values.length; i++)
        if (values[i] !== null) (events[at + i] as Record<string, unknown>)[name] = values[i]
    })
  )
}

/**
 * A new event `{kind, ts}`: a plain object (its prototype is Object.prototype, as a literal's),
 * made by a constructor so that V8 keeps its fields inside the object. V8 sizes the objects of a
 * constructor by the stores it sees in its body (counted whether they run or not) plus 8, here
 * 20: the most fields an event of the schema has (smb: 17 of its own, kind, ts and hits). A
 * literal `{kind, ts}` has room for its two, and the fields added next go to a side array, copied
 * to a larger one every three fields; read through it, they cost the rules a load more.
 */
const WireEvent = function WireEvent(this: SocEvent, kind: string, ts: number) {
  this.kind = kind
  this.ts = ts
  if (kind === '') {
    // Never runs (a group's kind is never empty): room for ten more fields, see above.
    this.f0 = this.f1 = this.f2 = this.f3 = this.f4 = 0
    this.f5 = this.f6 = this.f7 = this.f8 = this.f9 = 0
  }
} as unknown as new (
  kind: string,
  ts: number,
) => SocEvent
WireEvent.prototype = Object.prototype
// V8 trims a constructor's objects to the most fields any of its first seven had by the time the
// eighth is made ("slack tracking"); the decoder makes a group's events before it fills them, so
// it shows V8 full ones first.
for (let i = 0; i < 8; i++) {
  const event = new WireEvent('warm-up', 0) as Record<string, unknown>
  for (let f = 0; f < 20; f++) event[`field${f}`] = 0
}

/**
 * An endpoint `{ip, port}` or `{ip, port, internal}` (internal left out when null): a plain
 * object like WireEvent, made by a constructor rather than a literal. V8 tracks where each
 * literal is made, and once most objects of a literal outlive a minor GC (a caller that keeps its
 * batches, as the bench does, or one whose handoff outlasts one) it makes that literal's objects
 * in the old generation from then on: each is then dearer to make, and only a full GC frees it.
 * bench:dsl measured decode 1.09 ms per 1,000 events with that, 0.85 without (Node's
 * --no-allocation-site-pretenuring). A constructor's objects stay young.
 */
const WireEndpoint = function WireEndpoint(
  this: Record<string, unknown>,
  ip: unknown,
  port: unknown,
  internal: unknown,
) {
  this.ip = ip
  this.port = port
  if (internal !== null) this.internal = internal
} as unknown as new (
  ip: unknown,
  port: unknown,
  internal: unknown,
) => Record<string, unknown>
WireEndpoint.prototype = Object.prototype
// Full ones first, so that V8's slack tracking (see WireEvent) leaves room for `internal` inside.
for (let i = 0; i < 8; i++) new WireEndpoint('warm-up', 0, false)

type ColumnName = { first: string; second: string | undefined }

// Column names met before, checked and split: every batch of a sensor repeats the same few dozen.
// Bounded in count and length, since a sender chooses them (at most ~1,024 × 64 characters).
const knownColumns = new Map<string, ColumnName>()

function columnName(name: string, g: number): ColumnName {
  const known = knownColumns.get(name)
  if (known !== undefined) return known
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
  const parsed = {
    first: internal(parts[0] as string),
    second: parts[1] === undefined ? undefined : internal(parts[1]),
  }
  if (name.length <= 64) {
    if (knownColumns.size >= 1024) knownColumns.clear()
    knownColumns.set(name, parsed)
  }
  return parsed
}

/**
 * The key as the engine's own copy (the one property lookups compare by identity): split() makes
 * new strings, and a store under a key that is not yet that copy looks it up on every call.
 */
function internal(key: string): string {
  return Object.keys({ [key]: 0 })[0] as string
}

/**
 * Columns of a group whose object columns are apart, one after the other: an object is made and
 * stored in its event at the first of its columns that the row has, and filled by the others.
 */
function fillColumnsApart(
  cols: Record<string, unknown>,
  n: number,
  flows: unknown[] | undefined,
  events: SocEvent[],
  at: number,
): void {
  const objects = new Map<string, (Record<string, unknown> | undefined)[]>()
  for (const name of Object.keys(cols)) {
    if (name === 'ts') continue
    const [first, second] = name.split('.') as [string, string | undefined]
    const values = cols[name] as unknown[]
    const store = storeOf(first)
    if (second === undefined) {
      store(events, at, first === 'flow' && flows !== undefined ? flows : values)
      continue
    }
    let made = objects.get(first)
    if (made === undefined) {
      made = new Array(n).fill(undefined)
      objects.set(first, made)
    }
    const fresh: unknown[] = new Array(n).fill(null)
    for (let i = 0; i < n; i++) {
      const value = values[i]
      if (value === null) continue
      let object = made[i]
      if (object === undefined) {
        object = {}
        made[i] = object
        fresh[i] = object
      }
      object[second] = value
    }
    store(events, at, fresh)
  }
}

function checkTimestamps(deltas: unknown[], n: number, g: number): void {
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
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}
