import type { RuleIR } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { type CurrentRule, checkLifecycle, manifestOf, ruleFingerprint } from './rule-lifecycle.ts'

const rule = (id: string, version: number, severity = 'low', status = 'test'): CurrentRule => ({
  file: `rules/x/${id}.soc`,
  ir: { id, version, severity, status, type: 'detection', on: 'dns' } as unknown as RuleIR,
  source: `detection "${id}" version 0 { severity ${severity} status ${status} }`,
})

describe('rule lifecycle', () => {
  const manifest = manifestOf([rule('A', 1), rule('B', 2)], {})

  it('accepts rules that match the manifest', () => {
    expect(checkLifecycle([rule('A', 1), rule('B', 2)], manifest)).toEqual([])
  })

  it('refuses a change without a version bump', () => {
    expect(checkLifecycle([rule('A', 1, 'high'), rule('B', 2)], manifest)).toEqual([
      'A (rules/x/A.soc): changed without a version bump (still version 1); raise it to 2',
    ])
  })

  it('wants the manifest updated after a bumped change, and then accepts it', () => {
    const changed = [rule('A', 2, 'high'), rule('B', 2)]
    expect(checkLifecycle(changed, manifest)).toEqual([
      expect.stringContaining('rule-manifest.json is out of date'),
    ])
    expect(checkLifecycle(changed, manifestOf(changed, manifest))).toEqual([])
  })

  it('refuses a version that goes down, a duplicate id and a deleted rule', () => {
    const problems = checkLifecycle([rule('A', 0), rule('A', 0)], manifest)
    expect(problems).toContain('A (rules/x/A.soc): version went down from 1 to 0')
    expect(problems).toContain('A is defined twice (rules/x/A.soc and rules/x/A.soc)')
    expect(problems).toContain(
      'B (was rules/x/B.soc) was deleted: keep the rule with status deprecated and give a reason instead',
    )
  })

  it('wants a reason for a deprecated rule, and keeps the reason across updates', () => {
    const retired = [rule('A', 2, 'low', 'deprecated'), rule('B', 2)]
    const updated = manifestOf(retired, manifest)
    expect(checkLifecycle(retired, updated)).toEqual([
      'A (rules/x/A.soc) is deprecated without a reason: add "reason" to its entry in rule-manifest.json',
    ])
    updated.A = { ...(updated.A as NonNullable<typeof updated.A>), reason: 'replaced by C' }
    expect(checkLifecycle(retired, manifestOf(retired, updated))).toEqual([])
  })

  it('fingerprints the source, so the version does not count but any edit does', () => {
    expect(ruleFingerprint(rule('A', 1).source)).toBe(ruleFingerprint(rule('A', 9).source))
    expect(ruleFingerprint(rule('A', 1).source)).not.toBe(
      ruleFingerprint(rule('A', 1, 'high').source),
    )
  })
})
