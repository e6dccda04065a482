// The groups of one correlation rule: found by their group-by values, kept in the order they were
// last touched (least recent first, so expired groups are at the front and a sweep stops at the
// first live one).
//
// Why not one Map with a joined string key: building `a\0b\0` for every event makes a new string
// that must be flattened and hashed before every lookup; and keeping a Map in touch order means a
// delete and a set per event. Here each value is looked up as it is (a string field of the event
// is hashed once, whichever rules group by it) in one Map per group-by position, and the touch
// order is a linked list through the groups (a touch is a few pointer writes).
//
// With several group-by values, a group that is the only one under its first values so far sits
// in that level's Map itself, not in Maps of its own below: keys that are new with nearly every
// event (random names, scans across many hosts) would otherwise make a Map per group and level.
// A second group under the same first values moves it one level down, into a new Map.
//
// Which values make one group is unchanged: with one group-by value, its String(); with several,
// strings as they are and other values as their JSON text, compared position by position; and
// when a string holds the U+0000 separator the old joined key could not split, the whole list's
// JSON text (such keys live in a Map of their own).

/** What the table needs of a group: its place in the touch order and its lookup path. */
export type Linked = {
  /** Set by the table. */
  older: Linked | undefined
  newer: Linked | undefined
  path: string | string[]
}

// Non-string parts as text: ports and other small integers from a table (same string every
// time, so its hash is kept), everything else by JSON.stringify as before.
const SMALL_INTEGERS: string[] = []
function partText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 65_536) {
    const known = SMALL_INTEGERS[value]
    if (known !== undefined) return known
    const text = String(value)
    SMALL_INTEGERS[value] = text
    return text
  }
  return JSON.stringify(value)
}

export class GroupTable<G extends Linked> {
  size = 0
  readonly arity: number
  /** Arity 1: String(value) → group. Arity > 1: part → … → part → group (or a group sooner). */
  private readonly root = new Map<string, unknown>()
  /** Arity > 1, values holding U+0000: JSON of the whole list → group. */
  private readonly odd = new Map<string, G>()
  private readonly parts: string[]
  /** `delete`'s way down, kept between calls: groups of new keys are deleted about as often as
   * events come, and a list made per delete was most of what expiring them allocated. */
  private readonly levels: (Map<string, unknown> | undefined)[]
  /** The odd key of the last `find`, when its values went to the odd Map. */
  private oddKey: string | undefined = undefined
  private oldest: G | undefined
  private newest: G | undefined
  /**
   * The group `find` found or `insert` filed last (undefined once deleted): an event's group is
   * most often the previous event's (a flow, a scan and a chatty host come as runs), and
   * comparing its parts with the new ones costs less than the lookups (and hashing the event's
   * strings). Only groups filed under `root`: an odd key is not made of the parts.
   */
  private last: G | undefined

  constructor(arity: number) {
    this.arity = arity
    this.parts = new Array(arity)
    this.levels = new Array(arity).fill(undefined)
  }

  /** The group of `values` (all present), or undefined. Remembers the path for `insert`. */
  find(values: readonly unknown[]): G | undefined {
    const last = this.last
    if (this.arity === 1) {
      const value = values[0]
      const text = typeof value === 'string' ? value : String(value)
      this.parts[0] = text
      // (An arity-1 group's path is its text.)
      if (last !== undefined && last.path === text) return last
      const found = this.root.get(text) as G | undefined
      if (found !== undefined) this.last = found
      return found
    }
    if (this.arity === 0) return this.findOdd(values) // no group by: one group
    // The last group, when its path (its parts: never an odd key) holds these parts.
    const lastPath = last?.path
    let same = typeof lastPath === 'object'
    for (let i = 0; i < this.arity; i++) {
      const text = partText(values[i])
      this.parts[i] = text
      if (same && (lastPath as string[])[i] !== text) same = false
    }
    this.oddKey = undefined
    if (same) return last
    let level: unknown = this.root
    let depth = 0
    while (depth < this.arity && level instanceof Map) level = level.get(this.parts[depth++])
    // A group above the last level is the only one under the parts so far: the rest must match.
    if (level !== undefined && !(level instanceof Map)) {
      const group = level as G
      const path = group.path as string[]
      let rest = true
      for (let i = depth; i < this.arity; i++) if (path[i] !== this.parts[i]) rest = false
      if (rest) {
        this.last = group
        return group
      }
    }
    // Only parts without U+0000 are ever filed under `root`: a miss may be a list that belongs
    // in the odd Map.
    for (let i = 0; i < this.arity; i++)
      if ((this.parts[i] as string).includes('\u0000')) return this.findOdd(values)
    return undefined
  }

  private findOdd(values: readonly unknown[]): G | undefined {
    this.oddKey = this.arity === 0 ? '' : JSON.stringify(values.slice(0, this.arity))
    return this.odd.get(this.oddKey)
  }

  /**
   * Adds `group` under the values of the last `find` (which found none) as the newest.
   * `values`: a copy of those values that the caller keeps unchanged for the group's life; when
   * they are all strings (the parts themselves), the group's path is that list, not another.
   */
  insert(group: G, values?: readonly unknown[]): void {
    if (this.arity === 1) {
      const text = this.parts[0] as string
      group.path = text
      this.root.set(text, group)
    } else if (this.oddKey !== undefined) {
      group.path = this.oddKey
      this.odd.set(this.oddKey, group)
    } else {
      const parts = this.parts
      let path = values?.length === parts.length ? (values as string[]) : undefined
      for (let i = 0; path !== undefined && i < parts.length; i++)
        if (path[i] !== parts[i]) path = undefined
      path ??= parts.slice()
      group.path = path
      let level = this.root
      for (let i = 0; i < path.length; i++) {
        const text = path[i] as string
        const next = level.get(text)
        if (next === undefined) {
          level.set(text, group)
          break
        }
        if (next instanceof Map) {
          level = next
          continue
        }
        // The only group under these parts so far, and not this one (`find` found none): it moves
        // one level down, beside this group or (same next part) further down.
        const other = next as G
        const below = new Map<string, unknown>([[(other.path as string[])[i + 1] as string, other]])
        level.set(text, below)
        level = below
      }
    }
    this.size++
    this.append(group)
    if (this.oddKey === undefined) this.last = group
  }

  /** Makes `group` the most recently touched. */
  touch(group: G): void {
    if (this.newest === group) return
    this.unlink(group)
    this.append(group)
  }

  /** The least recently touched group. */
  first(): G | undefined {
    return this.oldest
  }

  delete(group: G): void {
    if (this.last === group) this.last = undefined
    this.unlink(group)
    this.size--
    const path = group.path
    if (typeof path === 'string') {
      if (this.arity === 1) this.root.delete(path)
      else this.odd.delete(path)
      return
    }
    // Down to the Map that holds the group; inner Maps that become empty go too, so memory
    // follows the live groups.
    const levels = this.levels
    let level = this.root
    let depth = 0
    for (;;) {
      levels[depth] = level
      const next = level.get(path[depth] as string)
      if (!(next instanceof Map)) break
      level = next
      depth++
    }
    for (let i = depth; i >= 0; i--) {
      const at = levels[i] as Map<string, unknown>
      at.delete(path[i] as string)
      if (at.size > 0) break
    }
    levels.fill(undefined) // holds no Map past its life
  }

  private append(group: G): void {
    group.older = this.newest
    group.newer = undefined
    if (this.newest === undefined) this.oldest = group
    else this.newest.newer = group
    this.newest = group
  }

  private unlink(group: G): void {
    const { older, newer } = group
    if (older === undefined) this.oldest = newer as G | undefined
    else older.newer = newer
    if (newer === undefined) this.newest = older as G | undefined
    else newer.older = older
    group.older = undefined
    group.newer = undefined
  }
}
