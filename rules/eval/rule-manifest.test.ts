// The rules as committed against the committed manifest: unique ids, versions bumped on change,
// nothing deleted, deprecated rules with a reason.
import { describe, expect, it } from 'vitest'
import { checkLifecycle } from './rule-lifecycle.ts'
import { currentRules, readManifest } from './rule-manifest.ts'

describe('rule lifecycle of the pack', () => {
  it('has every rule in rule-manifest.json, unchanged or with a higher version', {
    timeout: 120_000,
  }, () => {
    const { rules, problems } = currentRules()
    expect(problems).toEqual([])
    expect(rules.length).toBeGreaterThan(0)
    expect(checkLifecycle(rules, readManifest())).toEqual([])
  })
})
