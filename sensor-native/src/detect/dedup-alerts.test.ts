import type { Alert } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { dedupAlerts } from './dedup-alerts.ts'

const alert = (key: string, ts: number): Alert => ({
  rule: key.split('|')[0] as string,
  version: 1,
  class: 'recon.scan',
  severity: 'medium',
  ts,
  key,
  title: { en: key, ja: key },
  explain: { en: '', ja: '' },
  actions: { en: [], ja: [] },
  attack: [],
  event: { kind: 'conn', ts },
})

describe('dedupAlerts', () => {
  it('reports one alert per key with its count and first and last time', () => {
    const out = dedupAlerts([alert('A|1', 30), alert('B|1', 20), alert('A|1', 10)])
    expect(out.map((a) => [a.key, a.count, a.ts, a.lastTs])).toEqual([
      ['A|1', 2, 10, 30],
      ['B|1', 1, 20, 20],
    ])
  })

  it('keeps alerts with different keys apart', () => {
    expect(dedupAlerts([alert('A|1', 1), alert('A|2', 1)])).toHaveLength(2)
  })
})
