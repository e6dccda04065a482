import { describe, expect, it } from 'vitest'
import { compileRules } from '../pack/compile-rules.ts'
import { intelListsFrom } from '../pack/intel-list.ts'

const rule = (where: string, on = 'sig') => `detection "SB-TEST-0001" version 1 {
  title { en "ET: {id}" ja "ET: {id}" }
  class "malware.c2"
  severity high
  status experimental
  on ${on} where ${where}
}`

function check(where: string, on?: string) {
  return compileRules([{ path: 'r.soc', text: rule(where, on) }], intelListsFrom([]))
}

describe('signatures("SET")', () => {
  it('lowers to a set test on sig events', () => {
    const { rules, diagnostics } = check('id in signatures("et-open")')
    expect(diagnostics).toEqual([])
    const ir = rules[0]?.ir
    expect(ir?.type === 'detection' && ir.where).toEqual({ op: 'signatures', set: 'et-open' })
  })

  it('keeps not in', () => {
    const { rules } = check('id not in signatures("et-open")')
    const ir = rules[0]?.ir
    expect(ir?.type === 'detection' && ir.where).toEqual({
      op: 'not',
      arg: { op: 'signatures', set: 'et-open' },
    })
  })

  it.each([
    ['id in signatures("et-open")', 'dns', 'matches sig events, not dns'],
    ['msg in signatures("et-open")', 'sig', 'matches the id of a sig event'],
    ['id in signatures()', 'sig', 'takes one signature set id'],
    ['id in signatures("ET Open")', 'sig', 'is not a signature set id'],
  ])('%s on %s: %s', (where, on, message) => {
    const { diagnostics } = check(where, on)
    expect(diagnostics.map((d) => d.message).join('\n')).toContain(message)
    expect(diagnostics[0]?.hint).toContain('signatures("et-open")')
  })
})
