import { describe, expect, it } from 'vitest'
import {
  classifyTrailFile,
  lookupDomain,
  mergeIndicators,
  normaliseDomain,
  parseTrailFile,
} from './index.ts'

// The public API is enough to go from a feed file to a lookup, as other workspaces will use it.
describe('rules/feeds public API', () => {
  it('imports a trail file, merges it into lists and answers a lookup', () => {
    const source = 'malware/zeus.txt'
    const result = parseTrailFile(
      { feed: 'maltrail-malware', source, text: 'zeus-c2.example\n' },
      classifyTrailFile(source),
    )
    const list = mergeIndicators(result.indicators).get('malware.c2.domain')
    const name = normaliseDomain('Sub.ZEUS-C2.example.')
    expect(list && name.ok && lookupDomain(list, name.value)?.origins[0]).toEqual({
      feed: 'maltrail-malware',
      source,
      line: 1,
      label: 'zeus',
      references: [],
    })
  })
})
