import { describe, expect, it } from 'vitest'
import { feedHealth } from './feed-health.ts'

const HOUR = 3_600_000
const now = Date.parse('2026-11-27T09:00:00Z')
const schedules = [
  { id: 'feodo', title: 'Feodo Tracker', updateIntervalHours: 1 },
  { id: 'tor', title: 'Tor exits', updateIntervalHours: 24, staleAfterHours: 72 },
  { id: 'et', title: 'ET Open', updateIntervalHours: 24 },
  { id: 'new', title: 'New feed', updateIntervalHours: 24 },
]

describe('feedHealth', () => {
  it('reports nothing for fresh feeds', () => {
    const statuses = [
      { feed: 'feodo', dataTime: now - 1 * HOUR },
      { feed: 'tor', dataTime: now - 70 * HOUR },
      { feed: 'et', dataTime: now - 47 * HOUR },
      { feed: 'new', dataTime: now },
    ]
    expect(feedHealth(schedules, statuses, now)).toEqual([])
  })
  it('reports stale feeds with severity growing with age', () => {
    const statuses = [
      { feed: 'feodo', dataTime: now - 3 * HOUR },
      { feed: 'tor', dataTime: now - 73 * HOUR },
      { feed: 'et', dataTime: now - 1000 * 24 * HOUR },
      { feed: 'new', dataTime: now },
    ]
    const findings = feedHealth(schedules, statuses, now)
    expect(findings.map((f) => [f.feed, f.kind, f.severity, f.class])).toEqual([
      ['feodo', 'stale', 'low', 'intel.feed'],
      ['tor', 'stale', 'low', 'intel.feed'],
      ['et', 'stale', 'high', 'intel.feed'],
    ])
    expect(findings[2]?.detail).toBe(
      'data from 2024-03-02T09:00:00.000Z is 1000 days old; expected an update every 24 h',
    )
  })
  it('reports failing and never-loaded feeds', () => {
    const statuses = [
      { feed: 'feodo', dataTime: now - HOUR, lastLoad: { at: now - 60_000, error: 'HTTP 503' } },
      { feed: 'tor', dataTime: now },
      { feed: 'et', dataTime: now },
    ]
    const findings = feedHealth(schedules, statuses, now)
    expect(findings.map((f) => [f.feed, f.kind, f.severity])).toEqual([
      ['feodo', 'failing', 'medium'],
      ['new', 'never-loaded', 'medium'],
    ])
    expect(findings[0]?.detail).toBe(
      'last attempt 2026-11-27T08:59:00.000Z: HTTP 503; the previous data stays in use',
    )
  })
})
