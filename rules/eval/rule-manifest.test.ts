// The rules as committed against the committed manifest: unique ids, versions bumped on change,
// nothing deleted, deprecated rules with a reason. Fingerprints are of source, not compiler
// output: a compiler change needs no version bumps, a rule edit does.
import { readFileSync } from 'node:fs'
import { ruleSources } from '@socbox/dsl'
import { describe, expect, it } from 'vitest'
import { checkLifecycle, manifestOf } from './rule-lifecycle.ts'
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

describe('fingerprints of source', () => {
  const { rules } = currentRules()
  const manifest = manifestOf(rules, readManifest())

  it('need no version bump when the compiler lowers the same rules to other IR', {
    timeout: 120_000,
  }, () => {
    // As if a new compiler flattened, reordered or renamed IR nodes of every rule.
    const recompiled = rules.map((rule) => ({
      ...rule,
      ir: { ...rule.ir, where: { op: 'const' as const, value: true }, ir: 1 as const },
    }))
    expect(checkLifecycle(recompiled, manifest)).toEqual([])
  })

  it('demand a version bump for any edit of a rule, and accept the bumped rule', () => {
    const target = rules.find((rule) => rule.ir.type === 'detection')
    if (!target) throw new Error('no detection in the pack')
    const path = new URL(`../../${target.file}`, import.meta.url)
    const text = readFileSync(path, 'utf8')
    const sourceOf = (edited: string) =>
      ruleSources({ path: target.file, text: edited }).find((r) => r.id === target.ir.id)?.text ??
      ''
    const severity = target.ir.severity === 'low' ? 'medium' : 'low'
    // Only the target rule's severity line changes: the first one after its header.
    const header = text.indexOf(`"${target.ir.id}" version ${target.ir.version}`)
    const at = text.indexOf(`severity ${target.ir.severity}`, header)
    const edited = `${text.slice(0, at)}severity ${severity}${text.slice(at + `severity ${target.ir.severity}`.length)}`
    const unbumped = rules.map((rule) =>
      rule === target ? { ...rule, source: sourceOf(edited) } : rule,
    )
    expect(checkLifecycle(unbumped, manifest)).toEqual([
      `${target.ir.id} (${target.file}): changed without a version bump (still version ${target.ir.version}); raise it to ${target.ir.version + 1}`,
    ])
    const bumped = unbumped.map((rule) =>
      rule.ir.id === target.ir.id
        ? { ...rule, ir: { ...rule.ir, version: rule.ir.version + 1 } }
        : rule,
    )
    expect(checkLifecycle(bumped, manifest)).toEqual([
      expect.stringContaining('rule-manifest.json is out of date'),
    ])
    // Comments and layout are not edits.
    const reformatted = `// a note\n${text.replaceAll('\n  ', '\n      ')}`
    expect(sourceOf(reformatted)).toBe(target.source)
  })
})
