import { describe, expect, it } from 'vitest'
import type { DedupedAlert } from './dedup-alerts.ts'
import { alertLine, ndjson, table } from './format-alerts.ts'

const alert: DedupedAlert = {
  rule: 'SB-RECON-0001',
  version: 2,
  class: 'recon.scan',
  severity: 'medium',
  ts: 1_700_000_000_000,
  lastTs: 1_700_000_060_000,
  count: 3,
  src: { ip: '10.0.0.5', port: 4444, internal: true },
  dst: { ip: '2001:db8::1', port: 22, internal: false },
  key: 'SB-RECON-0001|10.0.0.5',
  title: { en: 'Port scan from 10.0.0.5', ja: '10.0.0.5 からのポートスキャン' },
  explain: { en: '', ja: '' },
  actions: { en: [], ja: [] },
  attack: ['T1046'],
  event: { kind: 'conn', ts: 1_700_000_000_000 },
}

describe('alert output', () => {
  it('NDJSON carries the contract fields, endpoints without the internal flag', () => {
    const [line] = ndjson([alertLine('a.pcap', alert)])
      .trim()
      .split('\n')
    expect(JSON.parse(line as string)).toMatchObject({
      rule: 'SB-RECON-0001',
      class: 'recon.scan',
      severity: 'medium',
      ts: 1_700_000_000_000,
      count: 3,
      src: { ip: '10.0.0.5', port: 4444 },
      dst: { ip: '2001:db8::1', port: 22 },
      title: 'Port scan from 10.0.0.5',
    })
  })

  it('the table shows time, class, endpoints (IPv6 bracketed), repeats and the English title', () => {
    const text = table([alertLine('a.pcap', alert)])
    expect(text).toContain('2023-11-15 07:13:20 JST')
    expect(text).toContain('10.0.0.5:4444 → [2001:db8::1]:22')
    expect(text).toContain('×3')
    expect(text.trimEnd().endsWith('Port scan from 10.0.0.5')).toBe(true)
    expect(table([])).toBe('no alerts\n')
  })
})
