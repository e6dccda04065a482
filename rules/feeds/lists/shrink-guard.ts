// A feed that breaks upstream often still "succeeds": it serves an empty or truncated file.
// Loading that would silently disable detection, so an update that shrinks a list by more than
// a set share is refused as a whole; the previous lists stay in force until someone accepts it.

export interface ShrinkRefusal {
  list: string
  previous: number
  next: number
  /** Share lost, 0..1. */
  lost: number
  message: string
}

export interface ShrinkPolicy {
  /** Largest share a list may lose in one update, 0..1 (e.g. 0.5). */
  maxShrink: number
  /** Per-list overrides (a list expected to churn, e.g. Tor exits). */
  perList?: Readonly<Record<string, number>>
  /** Lists whose shrink an operator accepted for this update. */
  accepted?: readonly string[]
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}

/** Compares entry counts per list id; a list that vanished counts as shrinking to 0. */
export function checkShrink(
  previous: ReadonlyMap<string, number>,
  next: ReadonlyMap<string, number>,
  policy: ShrinkPolicy,
): ShrinkRefusal[] {
  const refusals: ShrinkRefusal[] = []
  for (const [list, before] of previous) {
    if (before === 0 || policy.accepted?.includes(list)) continue
    const after = next.get(list) ?? 0
    const lost = (before - after) / before
    const allowed = policy.perList?.[list] ?? policy.maxShrink
    if (lost > allowed) {
      refusals.push({
        list,
        previous: before,
        next: after,
        lost,
        message: `list ${list} would shrink from ${before} to ${after} entries (-${percent(lost)}), more than the allowed ${percent(allowed)}; update refused (check the feed, then accept with --accept-shrink ${list})`,
      })
    }
  }
  return refusals
}
