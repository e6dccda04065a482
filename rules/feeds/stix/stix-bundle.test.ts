import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseStixBundle } from './stix-bundle.ts'

// The bundle follows the STIX 2.1 specification's examples (§4.7 Indicator, §4.9 Malware,
// §9 pattern examples) plus cases a reader must skip or refuse.
const path = fileURLToPath(new URL('../fixtures/stix/spec-examples.json', import.meta.url))
const text = readFileSync(path, 'utf8')
const options = { defaultClass: 'malware.c2', now: Date.parse('2026-01-01T00:00:00Z') }

describe('parseStixBundle', () => {
  const result = parseStixBundle(
    { feed: 'stix-example', source: 'spec-examples.json', text },
    options,
  )

  it('imports simple patterns with classes from what they indicate', () => {
    expect(result.indicators.map((i) => [i.ioc, i.value, i.class])).toEqual([
      ['url', 'x4z9arb.cn/4712/', 'malware.c2'],
      ['hash', 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c', 'malware.c2'],
      ['domain', 'www.5z8.info', 'malware.ransomware'],
      ['ip', '198.51.100.1', 'malware.ransomware'],
      ['ip', '203.0.113.33', 'malware.ransomware'],
      ['ip', '2001:db8:dead:beef:dead:beef:dead:1', 'malware.ransomware'],
      ['domain', 'still-good.example', 'malware.c2'],
    ])
    expect(result.indicators[1]?.origin.label).toBe('File hash for Poison Ivy variant (Poison Ivy)')
    expect(result.indicators[2]?.origin.references).toEqual(['https://example.org/cryptolocker'])
  })

  it('reports untranslatable indicators at the line of their id', () => {
    const lineOf = (id: string) =>
      text.split('\n').findIndex((l) => l.includes(`"id": "${id}"`)) + 1
    expect(result.errors.map((e) => [e.line, e.reason])).toEqual([
      [
        lineOf('indicator--e7b3c1d2-6b2d-4d0a-9a6e-5d1c7c4f0b01'),
        'AND inside an observation is not a list lookup',
      ],
      [
        lineOf('indicator--e7b3c1d2-6b2d-4d0a-9a6e-5d1c7c4f0b02'),
        'object path network-traffic:dst_ref.type is not a supported indicator',
      ],
      [
        lineOf('indicator--e7b3c1d2-6b2d-4d0a-9a6e-5d1c7c4f0b03'),
        'qualifier START is not a list lookup',
      ],
      [
        lineOf('indicator--e7b3c1d2-6b2d-4d0a-9a6e-5d1c7c4f0b04'),
        'pattern_type "snort" is not a STIX pattern',
      ],
      [lineOf('indicator--e7b3c1d2-6b2d-4d0a-9a6e-5d1c7c4f0b08'), 'SHA-256 needs 64 hex digits'],
    ])
    expect(result.errors.every((e) => e.line > 1)).toBe(true)
  })

  it('skips revoked, expired and benign indicators', () => {
    expect(result.skipped).toEqual({ revoked: 1, expired: 1, benign: 1 })
    const withoutNow = parseStixBundle(
      { feed: 'f', source: 's', text },
      { defaultClass: 'malware.c2' },
    )
    expect(withoutNow.skipped.expired).toBe(0)
    expect(withoutNow.indicators.some((i) => i.value === 'expired.example')).toBe(true)
  })

  it('refuses files that are not bundles', () => {
    expect(
      parseStixBundle({ feed: 'f', source: 's', text: '{' }, options).errors[0]?.reason,
    ).toMatch(/^not JSON/)
    expect(
      parseStixBundle({ feed: 'f', source: 's', text: '{"type":"x"}' }, options).errors[0]?.reason,
    ).toBe('not a STIX bundle (type "bundle" with an objects array)')
  })
})
