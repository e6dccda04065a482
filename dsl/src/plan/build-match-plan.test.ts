import { describe, expect, it } from 'vitest'
import { compilePack } from '../pack/compile-pack.ts'
import { intelListsFrom } from '../pack/intel-list.ts'
import { buildMatchPlan } from './build-match-plan.ts'
import { type SourceSignature, signatureSetsFrom } from './signature-source.ts'

const sig = (
  id: string,
  fields: string[],
  extra: Partial<SourceSignature> = {},
): SourceSignature => ({
  id,
  msg: `m ${id}`,
  class: 'malware.c2',
  fields,
  patterns: fields.map((field) => ({ field, literal: 'x', nocase: false })),
  ...extra,
})

const source = signatureSetsFrom([
  sig('et-open:1', ['http.uri']),
  sig('et-open:2', ['http.referer', 'tls.cert_subject']),
  sig('et-open:3', ['http.stat_code']),
  sig('et-open:4', ['http.response_body'], { flowbits: { isset: ['b'], set: ['c'] } }),
  sig('abuse:1', ['dns.query'], { set: 'other' }),
])

describe('buildMatchPlan content', () => {
  it('takes every signature of each used set, with its set and plan field names', () => {
    const plan = buildMatchPlan([], intelListsFrom([]), ['et-open', 'et-open', 'nope'], source)
    expect(plan.content.map((s) => [s.id, s.set, s.fields])).toEqual([
      ['et-open:1', 'et-open', ['http.uri']],
      ['et-open:2', 'et-open', ['http.referrer', 'tls.subject']],
      ['et-open:4', 'et-open', ['file.data']],
    ])
    expect(plan.content[1]?.patterns.map((p) => p.field)).toEqual(['http.referrer', 'tls.subject'])
    expect(plan.content[2]?.flowbits).toEqual({ isset: ['b'], set: ['c'] })
    expect(buildMatchPlan([], intelListsFrom([]), ['other'], source).content).toHaveLength(1)
    expect(buildMatchPlan([], intelListsFrom([])).content).toEqual([])
  })

  it('a pack whose rules name a set carries its signatures; others carry none', () => {
    const text = (where: string) => `detection "SB-TEST-0001" version 1 {
  title { en "t" ja "t" }
  class "malware.c2"
  severity high
  status experimental
  on sig where ${where}
}`
    const withSet = compilePack(
      [{ path: 'a.soc', text: text('id in signatures("et-open")') }],
      intelListsFrom([]),
      {
        signatures: source,
      },
    )
    expect(withSet.diagnostics).toEqual([])
    expect(withSet.pack?.plan.content).toHaveLength(3)
    const without = compilePack([{ path: 'a.soc', text: text('msg == "x"') }], intelListsFrom([]), {
      signatures: source,
    })
    expect(without.pack?.plan.content).toEqual([])
    const unknown = compilePack(
      [{ path: 'a.soc', text: text('id in signatures("et-pro")') }],
      intelListsFrom([]),
      {
        signatures: source,
      },
    )
    expect(unknown.pack).toBeUndefined()
    expect(unknown.diagnostics[0]?.message).toContain('unknown signature set "et-pro"')
  })
})
