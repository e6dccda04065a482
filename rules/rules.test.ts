// Every rule file of the pack: it compiles against the real intel lists, and the tests written
// inside it pass on the production runtime.
import {
  compilePack,
  compileRules,
  formatDiagnostic,
  formatSource,
  runRuleTests,
} from '@socbox/dsl'
import { describe, expect, it, vi } from 'vitest'
import { loadRules } from './load-rules.ts'

// The feed lists hold tens of thousands of entries: room for a busy 2-core CI machine.
vi.setConfig({ testTimeout: 60_000 })

const { files, intel } = loadRules()
const compiled = compilePack(files, intel.lists)

describe('the rule pack', () => {
  it('has rule files and intel manifests without problems', () => {
    expect(files.length).toBeGreaterThan(0)
    expect(intel.problems).toEqual([])
    for (const list of intel.all) {
      expect(list.entries.length, list.id).toBeGreaterThan(0)
      expect(list.licence, list.id).toBeTruthy()
    }
  })

  it('compiles without diagnostics', () => {
    const { pack, diagnostics } = compiled
    expect(diagnostics.map(formatDiagnostic)).toEqual([])
    expect(pack?.rules.length).toBeGreaterThan(0)
  })

  it('ships exactly the intel lists the rules reference, from the manifests', () => {
    const { pack } = compiled
    // Conditions of every kind of rule (where, steps of sequences) name their lists this way.
    const referenced = new Set(
      (pack?.rules ?? []).flatMap((rule) =>
        [...JSON.stringify(rule).matchAll(/"list":"([^"]+)"/g)].map((m) => m[1]),
      ),
    )
    expect(pack?.plan.intel.map((l) => l.list).sort()).toEqual([...referenced].sort())
    for (const list of pack?.plan.intel ?? [])
      expect(intel.all.map((l) => l.id)).toContain(list.list)
  })

  it('has every rule file formatted (socbox rules fmt rules)', () => {
    const unformatted = files
      .filter((file) => formatSource(file).text !== file.text)
      .map((file) => file.path)
    expect(unformatted).toEqual([])
  })

  const { rules, variables } = compileRules(files, intel.lists)
  for (const rule of rules) {
    it(`${rule.ir.id} has tests that fire and tests that stay quiet`, () => {
      const expected = rule.tests.map((t) => t.expect?.value ?? 0)
      expect(expected.some((n) => n > 0)).toBe(true)
      expect(expected.some((n) => n === 0)).toBe(true)
    })
  }

  // Site variables at their declared defaults (rules/policies/site.soc), as `socbox rules test` runs them.
  for (const outcome of runRuleTests(rules, intel.lists, variables)) {
    it(`${outcome.rule}: ${outcome.test} (${outcome.file}:${outcome.line})`, () => {
      expect(outcome.message).toBe('')
      expect(outcome.passed).toBe(true)
    })
  }
})
