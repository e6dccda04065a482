// Writes dist/feed-status.json next to the rule pack (see feed-status.ts): the feed build's
// report.json plus the manifests' schedules, plus the download failures of the last
// `npm run feeds:update` (dist/feeds/download-report.json) when there is one.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readManifests } from '../pipeline/read-manifests.ts'
import {
  type BuiltFeed,
  type FeedStatusReport,
  feedStatusReport,
  type ScheduleSource,
  withDownloadFailures,
} from './feed-status.ts'

export interface DownloadReport {
  /** Per feed id: the failed download that left the feed on older data. */
  failures: Record<string, { at: number; error: string }>
}

export function readFeedStatus(rulesRoot: string): FeedStatusReport {
  const feeds = join(rulesRoot, 'dist/feeds')
  const report = JSON.parse(readFileSync(join(feeds, 'report.json'), 'utf8')) as {
    builtAt: string
    feeds: BuiltFeed[]
  }
  // Schedules only: a manifest the build refused has no feed in the report to judge.
  const manifests: ScheduleSource[] = readManifests(join(rulesRoot, 'feeds/manifests')).manifests
  let status = feedStatusReport(report, manifests)
  const downloads = join(feeds, 'download-report.json')
  if (existsSync(downloads)) {
    const { failures } = JSON.parse(readFileSync(downloads, 'utf8')) as DownloadReport
    status = withDownloadFailures(status, new Map(Object.entries(failures)))
  }
  return status
}

export function writeFeedStatus(rulesRoot: string): FeedStatusReport {
  const status = readFeedStatus(rulesRoot)
  writeFileSync(join(rulesRoot, 'dist/feed-status.json'), `${JSON.stringify(status)}\n`)
  return status
}
