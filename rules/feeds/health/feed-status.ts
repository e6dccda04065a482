// The feed status a rule pack ships with: for every feed that fed its lists, the schedule and the
// state of the last build (data time, load error). The edge re-checks it against the clock
// (feedHealth) on its cron and raises `intel.feed` alerts, so a pack that keeps running while its
// feeds age or fail says so. Derived from the feed build's report.json and the manifests.
import type { FeedSchedule, FeedStatus } from './feed-health.ts'

export interface FeedStatusReport {
  v: 1
  /** When the feed build ran (ISO). */
  builtAt: string
  schedules: FeedSchedule[]
  statuses: FeedStatus[]
}

/** The parts of report.json's `feeds` entries this needs. */
export interface BuiltFeed {
  feed: string
  title: string
  included: boolean
  dataTime?: string
  error?: string
}

export interface ScheduleSource {
  id: string
  title: string
  updateIntervalHours: number
  staleAfterHours?: number
}

/**
 * Feeds that contributed to the build (`included`) or failed to load, with their manifests'
 * schedules. Feeds skipped for licence reasons are left out: the pack does not depend on them.
 */
export function feedStatusReport(
  report: { builtAt: string; feeds: readonly BuiltFeed[] },
  manifests: readonly ScheduleSource[],
): FeedStatusReport {
  const byId = new Map(manifests.map((m) => [m.id, m]))
  const builtAt = Date.parse(report.builtAt)
  const schedules: FeedSchedule[] = []
  const statuses: FeedStatus[] = []
  for (const feed of report.feeds) {
    const manifest = byId.get(feed.feed)
    if (manifest === undefined) continue
    if (!feed.included && feed.error === undefined) continue
    const schedule: FeedSchedule = {
      id: manifest.id,
      title: manifest.title,
      updateIntervalHours: manifest.updateIntervalHours,
    }
    if (manifest.staleAfterHours !== undefined) schedule.staleAfterHours = manifest.staleAfterHours
    schedules.push(schedule)
    const status: FeedStatus = { feed: feed.feed, lastLoad: { at: builtAt } }
    if (feed.error !== undefined) status.lastLoad = { at: builtAt, error: feed.error }
    if (feed.dataTime !== undefined) status.dataTime = Date.parse(feed.dataTime)
    statuses.push(status)
  }
  return { v: 1, builtAt: report.builtAt, schedules, statuses }
}

/** Marks feeds whose download failed (feeds:update) as failing, keeping the data they fell back to. */
export function withDownloadFailures(
  report: FeedStatusReport,
  failures: ReadonlyMap<string, { at: number; error: string }>,
): FeedStatusReport {
  return {
    ...report,
    statuses: report.statuses.map((status) => {
      const failure = failures.get(status.feed)
      return failure === undefined ? status : { ...status, lastLoad: failure }
    }),
  }
}
