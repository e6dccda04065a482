import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { INTEL } from '../testing/shared-data.ts'
import { parseDisconnectServices } from './disconnect-services.ts'

const text = readFileSync(`${INTEL}/disconnect/services.json`, 'utf8')

describe('parseDisconnectServices', { timeout: 60_000 }, () => {
  // By hand (python3 json walk over categories → services → sites → list values):
  // 4809 domains in all, 283 FingerprintingInvasive services.
  it('reads the real file', () => {
    const result = parseDisconnectServices({ feed: 'disconnect', source: 'services.json', text })
    expect(result.indicators.length + result.errors.length).toBe(4809)
    const fingerprinting = result.indicators.filter((i) => i.class === 'site.fingerprint')
    expect(new Set(fingerprinting.map((i) => i.origin.label)).size).toBe(283)
    // Lines point at the domain itself.
    const first = result.indicators[0]
    expect(text.split('\n')[(first?.origin.line ?? 0) - 1]).toContain(`"${first?.value}"`)
  })
  it('reports bad domains and bad JSON', () => {
    const small = JSON.stringify(
      {
        categories: {
          FingerprintingInvasive: [
            { 'X Corp': { 'https://x.example': ['x.example', 'bad..example'], dnt: 'eff' } },
          ],
        },
      },
      null,
      1,
    )
    const result = parseDisconnectServices({ feed: 'd', source: 's', text: small })
    expect(result.indicators.map((i) => [i.value, i.class])).toEqual([
      ['x.example', 'site.fingerprint'],
    ])
    expect(result.errors.map((e) => e.reason)).toEqual(['empty label'])
    expect(parseDisconnectServices({ feed: 'd', source: 's', text: '[' }).errors.length).toBe(1)
  })
})
