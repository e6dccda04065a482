import { describe, expect, it } from 'vitest'
import { feedHealth } from './feed-health.ts'
import { feedStatusReport, withDownloadFailures } from './feed-status.ts'

const manifests = [
  { id: 'tor-nodes', title: 'Tor relays', updateIntervalHours: 24 },
  { id: 'et-open', title: 'ET Open', updateIntervalHours: 24, staleAfterHours: 72 },
  { id: 'disconnect', title: 'Disconnect', updateIntervalHours: 168 },
  { id: 'abusech-feodo', title: 'Feodo', updateIntervalHours: 1 },
]
const report = {
  builtAt: '2026-11-27T00:00:00.000Z',
  feeds: [
    {
      feed: 'tor-nodes',
      title: 'Tor relays',
      included: true,
      dataTime: '2026-11-26T12:00:00.000Z',
    },
    { feed: 'et-open', title: 'ET Open', included: true, dataTime: '2026-11-20T00:00:00.000Z' },
    { feed: 'disconnect', title: 'Disconnect', included: false },
    { feed: 'abusech-feodo', title: 'Feodo', included: false, error: 'ENOENT: no such file' },
  ],
}

describe('feedStatusReport', () => {
  it('keeps included and failed feeds with their schedules, and drops feeds skipped by licence', () => {
    const status = feedStatusReport(report, manifests)
    expect(status.schedules.map((s) => s.id)).toEqual(['tor-nodes', 'et-open', 'abusech-feodo'])
    expect(status.schedules[1]?.staleAfterHours).toBe(72)
    expect(status.statuses[0]).toEqual({
      feed: 'tor-nodes',
      dataTime: Date.parse('2026-11-26T12:00:00.000Z'),
      lastLoad: { at: Date.parse(report.builtAt) },
    })
    expect(status.statuses[2]?.lastLoad?.error).toBe('ENOENT: no such file')
  })

  it('gives feedHealth what it needs to judge staleness at any later time', () => {
    const status = feedStatusReport(report, manifests)
    const at = (iso: string) =>
      feedHealth(status.schedules, status.statuses, Date.parse(iso)).map(
        (f) => `${f.feed}:${f.kind}:${f.severity}`,
      )
    // At build time: ET is 7 days old against 72 h allowed; Feodo failed.
    expect(at('2026-11-27T00:00:00.000Z')).toEqual([
      'et-open:stale:low',
      'abusech-feodo:failing:medium',
    ])
    // Two days later the Tor list is stale too, and ET has passed 3× its limit.
    expect(at('2026-11-29T13:00:00.000Z')).toEqual([
      'tor-nodes:stale:low',
      'et-open:stale:medium',
      'abusech-feodo:failing:medium',
    ])
  })

  it('marks feeds whose download failed as failing, keeping their data time', () => {
    const status = withDownloadFailures(
      feedStatusReport(report, manifests),
      new Map([['tor-nodes', { at: 5, error: 'download failed: HTTP 503' }]]),
    )
    expect(status.statuses[0]).toMatchObject({
      feed: 'tor-nodes',
      dataTime: Date.parse('2026-11-26T12:00:00.000Z'),
      lastLoad: { at: 5, error: 'download failed: HTTP 503' },
    })
  })
})
