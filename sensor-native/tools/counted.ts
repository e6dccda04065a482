/**
 * Sorted, deduplicated lists with counts: how facts are stored and compared, so that files stay
 * small and a difference reads as "this value, n times here, m times there".
 */
export type Counted<T> = T & { count: number }

export function countBy<T extends object>(
  items: Iterable<T>,
  key: (item: T) => string,
): Counted<T>[] {
  const byKey = new Map<string, Counted<T>>()
  for (const item of items) {
    const k = key(item)
    const seen = byKey.get(k)
    if (seen) seen.count += 1
    else byKey.set(k, { ...item, count: 1 })
  }
  return [...byKey.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, value]) => value)
}
