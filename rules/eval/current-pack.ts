// The pack of the rule files as they are now (not the last build), so eval measures the working tree.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  compilePack,
  formatDiagnostic,
  type RulePack,
  type SourceSignature,
  signatureSetsFrom,
} from '@socbox/dsl'
import { loadRules, RULES_ROOT } from '../load-rules.ts'
import { ensureFeedTextLists } from '../scripts/feed-lists.ts'

export type CurrentPack = { path: string; pack: RulePack } | { problems: string[] }

export function writeCurrentPack(): CurrentPack {
  const feedProblems = ensureFeedTextLists(RULES_ROOT)
  if (feedProblems.length > 0) return { problems: feedProblems }
  const { files, intel } = loadRules()
  // Content signature sets (signatures("et-open")) from the same feed build, as the pack build does.
  const content = JSON.parse(readFileSync(join(RULES_ROOT, 'dist/feeds/content.json'), 'utf8')) as {
    signatures: SourceSignature[]
  }
  const { pack, diagnostics } = compilePack(files, intel.lists, {
    version: 'eval',
    signatures: signatureSetsFrom(content.signatures),
  })
  const problems = [...intel.problems, ...diagnostics.map(formatDiagnostic)]
  if (!pack || problems.length > 0) return { problems }
  const path = join(mkdtempSync(join(tmpdir(), 'socbox-eval-')), 'pack.json')
  writeFileSync(path, JSON.stringify(pack))
  return { path, pack }
}
