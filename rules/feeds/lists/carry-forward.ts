// When a feed fails to load, its entries of the build in force are carried into the new build,
// found through the provenance of the previous list files. Without this, one unreachable feed
// would shrink its lists and the shrink guard would refuse every other feed's update too.
import type { Indicator } from '../model/indicator.ts'

/** The part of a previous list file that carrying forward needs. */
export interface PreviousList {
  list: string
  ioc: Indicator['ioc']
  class: string
  provenance: Record<string, string[]>
  ports?: Record<string, number[]>
}

const UNCONFIRMED = 'info.unconfirmed.'

export function carryForward(
  previous: readonly PreviousList[],
  failedFeeds: ReadonlySet<string>,
): Indicator[] {
  const indicators: Indicator[] = []
  for (const list of previous) {
    // Held-back entries return to their original class, so the agreement policy decides again.
    const cls = list.class.startsWith(UNCONFIRMED)
      ? list.class.slice(UNCONFIRMED.length)
      : list.class
    for (const [value, feeds] of Object.entries(list.provenance)) {
      for (const feed of feeds) {
        if (!failedFeeds.has(feed)) continue
        const origin = {
          feed,
          source: `(previous build) ${list.list}`,
          line: 0,
          label: 'carried forward: feed failed to load',
        }
        const ports = list.ports?.[value]
        if (ports)
          for (const port of ports)
            indicators.push({ ioc: list.ioc, value, class: cls, origin, port })
        else indicators.push({ ioc: list.ioc, value, class: cls, origin })
      }
    }
  }
  return indicators
}
