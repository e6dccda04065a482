// What `rules check|test` read: the rule files under PATH and the intel lists next to them.
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { SourceFile } from '../diagnostics/diagnostic.ts'
import { findRuleFiles } from '../node/find-rule-files.ts'
import { loadIntelFolder } from '../node/load-intel-folder.ts'
import type { IntelListSource } from '../pack/intel-list.ts'

export type RuleInputs = {
  files: SourceFile[]
  /** Undefined when no intel folder was found: list ids are then not checked. */
  lists: IntelListSource | undefined
  intelFolder: string | undefined
  problems: string[]
  /** The rest of the rules tree PATH lies in, read for its site variable declarations. */
  context: SourceFile[]
}

export function loadRuleInputs(
  path: string,
  intelOption: string | undefined,
  cwd: string,
): RuleInputs {
  const target = resolve(cwd, path)
  if (!existsSync(target)) throw new Error(`${path}: no such file or folder`)
  const files = findRuleFiles(target, cwd)
  const found = findIntelFolder(target)
  const intelFolder = intelOption === undefined ? found : resolve(cwd, intelOption)
  // A file inside a rules tree sees the site variables declared anywhere in that tree.
  const context = found === undefined ? [] : findRuleFiles(dirname(found), cwd)
  if (intelFolder === undefined)
    return { files, lists: undefined, intelFolder, problems: [], context }
  if (!existsSync(intelFolder)) throw new Error(`${intelOption}: no such intel folder`)
  const intel = loadIntelFolder(intelFolder)
  return { files, lists: intel.lists, intelFolder, problems: intel.problems, context }
}

// A rule file inside a rules tree checks against that tree's intel/ manifests: look in the
// folder itself and its parents, as far as a folder that has them.
function findIntelFolder(target: string): string | undefined {
  let folder = statSync(target).isDirectory() ? target : dirname(target)
  for (;;) {
    const candidate = join(folder, 'intel')
    if (existsSync(candidate) && readdirSync(candidate).some((name) => name.endsWith('.json')))
      return candidate
    const parent = dirname(folder)
    if (parent === folder) return undefined
    folder = parent
  }
}
