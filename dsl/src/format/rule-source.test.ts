import { describe, expect, it } from 'vitest'
import { ruleSources } from './rule-source.ts'

const rule = `// why this rule exists
detection "SB-T-0001" version 3 {
  title { en "x {query}" ja "エックス" }
  class "suspicious.tor"
  severity medium
  on dns where query == "a.onion.to" // the one name
  emit key [src.ip, query]
  test "fires" { given dns { query "a.onion.to" } expect 1 }
}
`
const text = (source: string) => ruleSources({ path: 'r.soc', text: source })[0]?.text

describe('ruleSources', () => {
  it('is the rule in the one layout without comments, tests or version', () => {
    expect(ruleSources({ path: 'r.soc', text: rule })).toEqual([
      {
        id: 'SB-T-0001',
        version: 3,
        line: 2,
        text: `detection "SB-T-0001" version 0 {
  title { en "x {query}" ja "エックス" }
  class "suspicious.tor"
  severity medium

  on dns where query == "a.onion.to"
  emit key [src.ip, query]
}
`,
      },
    ])
  })

  it('does not change with layout, comments, tests or version', () => {
    const same = rule
      .replace('version 3', 'version 4')
      .replace('// why this rule exists\n', '')
      .replace('  severity medium', '      severity    medium  // still medium')
      .replace('expect 1 }', 'expect 1 }\n  test "quiet" { given dns { query "b" } expect 0 }')
    expect(text(same)).toBe(text(rule))
  })

  it('changes with any edit of what the rule is', () => {
    for (const edit of [
      rule.replace('severity medium', 'severity high'),
      rule.replace('"a.onion.to" //', '"b.onion.to" //'),
      rule.replace('ja "エックス"', 'ja "エックス2"'),
      rule.replace('emit key [src.ip, query]', 'emit key [src.ip]'),
    ])
      expect(text(edit)).not.toBe(text(rule))
  })
})
