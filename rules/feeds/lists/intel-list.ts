// Lists are what the sensor matches: one per (class, ioc), e.g. `malware.c2.domain`. Every entry
// remembers which feeds listed it and where, so an alert can say "listed by Feodo Tracker and
// ET Open" and a reviewer can find the line that put it there.
import type { Indicator, Ioc, Origin } from '../model/indicator.ts'

export interface ListEntry {
  value: string
  feeds: Set<string>
  origins: Origin[]
  /**
   * Destination ports feeds list this address with (created on the first one: most entries have
   * none, and lists hold 10⁵ entries). Only restricts matching when `anyPort` is false.
   */
  ports?: Set<number>
  anyPort: boolean
}

export interface IntelList {
  id: string
  ioc: Ioc
  class: string
  entries: Map<string, ListEntry>
}

export function listIdOf(cls: string, ioc: Ioc): string {
  return `${cls}.${ioc}`
}

/** Adds indicators to lists (creating them), merging provenance of the same value across feeds. */
export function mergeIndicators(
  indicators: Iterable<Indicator>,
  lists: Map<string, IntelList> = new Map(),
): Map<string, IntelList> {
  for (const indicator of indicators) {
    const id = listIdOf(indicator.class, indicator.ioc)
    let list = lists.get(id)
    if (!list) {
      list = { id, ioc: indicator.ioc, class: indicator.class, entries: new Map() }
      lists.set(id, list)
    }
    let entry = list.entries.get(indicator.value)
    if (!entry) {
      entry = {
        value: indicator.value,
        feeds: new Set(),
        origins: [],
        anyPort: false,
      }
      list.entries.set(indicator.value, entry)
    }
    entry.feeds.add(indicator.origin.feed)
    entry.origins.push(indicator.origin)
    if (indicator.port === undefined) entry.anyPort = true
    else {
      entry.ports ??= new Set()
      entry.ports.add(indicator.port)
    }
  }
  return lists
}

/** Entries in a stable order (sorted), so two builds of the same input are byte-identical. */
export function sortedEntries(list: IntelList): ListEntry[] {
  return [...list.entries.values()].sort((a, b) =>
    a.value < b.value ? -1 : a.value > b.value ? 1 : 0,
  )
}
