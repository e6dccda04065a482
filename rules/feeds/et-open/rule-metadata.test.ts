import { describe, expect, it } from 'vitest'
import { parseMetadata } from './rule-metadata.ts'

describe('parseMetadata', () => {
  it('collects repeated keys across metadata options', () => {
    const metadata = parseMetadata([
      'created_at 2019_10_15, malware_family Cobalt_Strike, mitre_technique_id T1001',
      'mitre_technique_id T1573, flag',
    ])
    expect(metadata.get('malware_family')).toEqual(['Cobalt_Strike'])
    expect(metadata.get('mitre_technique_id')).toEqual(['T1001', 'T1573'])
    expect(metadata.has('flag')).toBe(false) // a key without a value says nothing
  })
})
