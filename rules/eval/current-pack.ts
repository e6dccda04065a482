// The pack of the rule files as they are now (not the last build), so eval measures the working tree.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compilePack, formatDiagnostic, type RulePack } from '@socbox/dsl'
import { loadRules, RULES_ROOT } from '../load-rules.ts'
import { ensureFeedTextLists } from '../scripts/feed-lists.ts'

export type CurrentPack = { path: string; pack: RulePack } | { problems: string[] }

export function writeCurrentPack(): CurrentPack {
  const feedProblems = ensureFeedTextLists(RULES_ROOT)
  if (feedProblems.length > 0) return { problems: feedProblems }
  const { files, intel } = loadRules()
  const { pack, diagnostics } = compilePack(files, intel.lists, { version: 'eval' })
  const problems = [...intel.problems, ...diagnostics.map(formatDiagnostic)]
  if (!pack || problems.length > 0) return { problems }
  const path = join(mkdtempSync(join(tmpdir(), 'socbox-eval-')), 'pack.json')
  writeFileSync(path, JSON.stringify(pack))
  return { path, pack }
}
