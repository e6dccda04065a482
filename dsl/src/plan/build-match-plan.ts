// The sensor matches only the lists some rule uses: the plan is built from the rules' references.
import type { IntelListSource } from '../pack/intel-list.ts'
import type { MatchPlan } from '../runtime/types.ts'

export function buildMatchPlan(usedLists: Iterable<string>, lists: IntelListSource): MatchPlan {
  const intel: MatchPlan['intel'] = []
  for (const id of [...new Set(usedLists)].sort()) {
    const list = lists.get(id)
    if (list === undefined) continue // reported by the checker
    intel.push({ list: id, ioc: list.ioc, entries: [...new Set(list.entries)].sort() })
  }
  return { v: 1, intel, content: [] }
}
