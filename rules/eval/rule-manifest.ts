// `npx node rules/eval/rule-manifest.ts [--update]`: checks every rule of the pack against the
// committed manifest (rule-lifecycle.ts), or records the current rules in it.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { compileRules, formatDiagnostic, ruleSources } from '@socbox/dsl'
import { loadRules } from '../load-rules.ts'
import { ensureFeedTextLists } from '../scripts/feed-lists.ts'
import {
  type CurrentRule,
  checkLifecycle,
  manifestOf,
  type RuleManifest,
} from './rule-lifecycle.ts'

export const MANIFEST_PATH = new URL('./rule-manifest.json', import.meta.url)

export function readManifest(): RuleManifest {
  return existsSync(MANIFEST_PATH)
    ? (JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as RuleManifest)
    : {}
}

export function currentRules(): { rules: CurrentRule[]; problems: string[] } {
  const problems = ensureFeedTextLists(new URL('..', import.meta.url).pathname)
  const { files, intel } = loadRules()
  const { rules, diagnostics } = compileRules(files, intel.lists)
  problems.push(...diagnostics.map(formatDiagnostic))
  // Fingerprints are of the source as the formatter prints it, not of compiler output.
  const sources = new Map<string, string>()
  for (const file of files) for (const rule of ruleSources(file)) sources.set(rule.id, rule.text)
  const current = rules.map((r) => ({
    ir: r.ir,
    file: `rules/${r.file.path}`,
    source: sources.get(r.ir.id) ?? '',
  }))
  return { rules: current, problems }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { rules, problems } = currentRules()
  if (problems.length > 0) {
    for (const problem of problems) console.error(problem)
    process.exit(2)
  }
  if (process.argv.includes('--update')) {
    writeFileSync(MANIFEST_PATH, `${JSON.stringify(manifestOf(rules, readManifest()), null, 2)}\n`)
    console.log(`rule-manifest.json: ${rules.length} rule(s)`)
  } else {
    const found = checkLifecycle(rules, readManifest())
    for (const problem of found) console.error(problem)
    console.log(`${rules.length} rule(s), ${found.length} lifecycle problem(s)`)
    process.exit(found.length > 0 ? 1 : 0)
  }
}
