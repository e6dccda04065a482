// Health findings for intel feeds (alert class `intel.feed`, service-terms.md): a feed whose
// newest data is older than its declared update interval allows is stale; a feed whose last
// load failed is failing. `now` is passed in so the check is deterministic and testable.

export interface FeedSchedule {
  id: string
  title: string
  /** How often the upstream publishes; data older than `staleAfterHours` is stale. */
  updateIntervalHours: number
  /** Defaults to twice the update interval: one missed update is normal, two are not. */
  staleAfterHours?: number
}

export interface FeedStatus {
  feed: string
  /** When the feed's data was published (its own header), else when it was fetched; ms. */
  dataTime?: number
  /** The last load: when, and the error if it failed. */
  lastLoad?: { at: number; error?: string }
}

export interface HealthFinding {
  class: 'intel.feed'
  severity: 'low' | 'medium' | 'high'
  feed: string
  kind: 'stale' | 'failing' | 'never-loaded'
  title: string
  detail: string
}

const HOUR = 3_600_000

function age(ms: number): string {
  const hours = ms / HOUR
  return hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} days`
}

export function feedHealth(
  schedules: readonly FeedSchedule[],
  statuses: readonly FeedStatus[],
  now: number,
): HealthFinding[] {
  const findings: HealthFinding[] = []
  const byFeed = new Map(statuses.map((s) => [s.feed, s]))
  for (const schedule of schedules) {
    const status = byFeed.get(schedule.id)
    const base = { class: 'intel.feed' as const, feed: schedule.id }
    if (status?.lastLoad?.error !== undefined) {
      findings.push({
        ...base,
        kind: 'failing',
        severity: 'medium',
        title: `Feed ${schedule.title} failed to load`,
        detail: `last attempt ${new Date(status.lastLoad.at).toISOString()}: ${status.lastLoad.error}; the previous data stays in use`,
      })
    }
    if (status?.dataTime === undefined) {
      if (status?.lastLoad?.error === undefined) {
        findings.push({
          ...base,
          kind: 'never-loaded',
          severity: 'medium',
          title: `Feed ${schedule.title} has never loaded`,
          detail: 'no data time is known for this feed',
        })
      }
      continue
    }
    const staleAfter = (schedule.staleAfterHours ?? schedule.updateIntervalHours * 2) * HOUR
    const dataAge = now - status.dataTime
    if (dataAge > staleAfter) {
      findings.push({
        ...base,
        kind: 'stale',
        // Far beyond its schedule a feed no longer protects: raise the severity.
        severity: dataAge > staleAfter * 10 ? 'high' : dataAge > staleAfter * 3 ? 'medium' : 'low',
        title: `Feed ${schedule.title} is stale`,
        detail: `data from ${new Date(status.dataTime).toISOString()} is ${age(dataAge)} old; expected an update every ${schedule.updateIntervalHours} h`,
      })
    }
  }
  return findings
}
