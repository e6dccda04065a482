import { describe, expect, it } from 'vitest'
import { resolveChain, settersByBit } from './flowbits-chains.ts'
import { parseRule } from './rule-parse.ts'
import { type TranslatedRule, translateRule } from './rule-translate.ts'
import { parseRulesFile } from './rules-file.ts'

function rule(line: string): TranslatedRule {
  const parsed = parseRule(line)
  if (!parsed.ok) throw new Error(parsed.reason)
  const translated = translateRule(parsed.value)
  if ('error' in translated) throw new Error(translated.error)
  return translated
}

const SETTER_LINE =
  'alert tls any any -> any any (msg:"ET JA3 set"; ja3.hash; content:"eb88d0b3e1961a0562f006e5ce2a0b87"; flowbits:set,ET.cs; flowbits:noalert; sid:2000001;)'
const setter = rule(SETTER_LINE)
const dependent = rule(
  'alert tls any any -> any any (msg:"ET JA3 server"; flowbits:isset,ET.cs; ja3s.hash; content:"ae4edc6faf64d08308082ad26be60767"; sid:2000002;)',
)

describe('flowbits chains', () => {
  it('gives chained rules their conditions and states', () => {
    expect(setter.state).toEqual({ sets: ['ET.cs'], isset: [], isnotset: [], noalert: true })
    expect(setter.translation).toEqual({
      kind: 'untranslatable',
      reason: 'noalert: only sets state for other rules',
    })
    expect(setter.condition?.patterns.map((p) => p.field)).toEqual(['ja3.hash'])
    expect(dependent.translation).toEqual({
      kind: 'untranslatable',
      reason: 'depends on state set by other rules (flowbits isset)',
    })
  })

  it('resolves a one-step chain into one signature with requires', () => {
    const resolution = resolveChain(dependent, settersByBit([setter, dependent]))
    expect(resolution.kind === 'signature' && resolution.signature.requires).toEqual([
      {
        flowbit: 'ET.cs',
        anyOf: [
          {
            sid: 2000001,
            fields: ['ja3.hash'],
            patterns: [
              { literal: 'eb88d0b3e1961a0562f006e5ce2a0b87', nocase: false, field: 'ja3.hash' },
            ],
          },
        ],
      },
    ])
    expect(
      resolution.kind === 'signature' && resolution.signature.patterns.map((p) => p.field),
    ).toEqual(['ja3s.hash'])
  })

  it('keeps a dependent without content as a condition on the bit alone', () => {
    const bare = rule(
      'alert http any any -> any any (msg:"ET MALWARE x"; flow:established,to_client; flowbits:isset,ET.h; sid:2000003;)',
    )
    const httpSetter = rule(
      'alert http any any -> any any (msg:"ET MALWARE s"; http.uri; content:"/gate"; flowbits:set,ET.h; flowbits:noalert; sid:2000004;)',
    )
    const resolution = resolveChain(bare, settersByBit([httpSetter]))
    expect(
      resolution.kind === 'signature' && [
        resolution.signature.patterns,
        resolution.signature.direction,
      ],
    ).toEqual([[], 'to_client'])
  })

  it('refuses a dependent without a condition of its own', () => {
    const { condition: _, ...withoutCondition } = dependent
    expect(resolveChain(withoutCondition, settersByBit([setter]))).toEqual({
      kind: 'untranslatable',
      reason: 'depends on flowbits, and its own condition is not translatable',
    })
  })

  it.each([
    [
      'alert tls any any -> any any (msg:"x"; flowbits:isset,ET.none; ja3s.hash; content:"ae4edc6faf64d08308082ad26be60767"; sid:2000005;)',
      'flowbit set by no rule of the same file',
    ],
    [
      'alert tls any any -> any any (msg:"x"; flowbits:isnotset,ET.cs; ja3s.hash; content:"ae4edc6faf64d08308082ad26be60767"; sid:2000006;)',
      'depends on state (flowbits isnotset)',
    ],
    [
      'alert tcp any any -> any any (msg:"x"; flowbits:isset,ET.cs; content:"|00|"; sid:2000007;)',
      'flowbits chain across protocols',
    ],
    [
      'alert http any any -> any any (msg:"x"; flowbits:isset,ET.cs; http.uri; content:"/a"; sid:2000008;)',
      'flowbits chain across protocols',
    ],
    [
      'alert tls any any -> any any (msg:"x"; flowbits:isset,ET.cs; flowbits:set,ET.more; flowbits:noalert; ja3s.hash; content:"ae4edc6faf64d08308082ad26be60767"; sid:2000009;)',
      'flowbits chain longer than one step',
    ],
  ])('leaves %s untranslated', (line, reason) => {
    const text = `${SETTER_LINE}\n${line}`
    const result = parseRulesFile(
      { feed: 'et-open', source: 'x.rules', text },
      { licence: 'et-sid' },
    )
    expect(result.untranslated.filter((u) => u.line === 2).map((u) => u.reason)).toEqual([reason])
    expect(result.signatures).toEqual([])
  })
})
