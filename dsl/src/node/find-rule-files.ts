// Node only: a rule file, or every `*.soc` file under a folder, read as SourceFiles.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import type { SourceFile } from '../diagnostics/diagnostic.ts'

const SKIPPED = new Set(['node_modules', 'dist', '.git'])

/** Paths in the result are relative to `base` so diagnostics and pack hashes do not depend on where the repo lies. */
export function findRuleFiles(path: string, base = process.cwd()): SourceFile[] {
  const files: SourceFile[] = []
  const visit = (current: string) => {
    if (statSync(current).isDirectory()) {
      for (const name of readdirSync(current).sort())
        if (!SKIPPED.has(name)) visit(join(current, name))
    } else if (current.endsWith('.soc') || current === path) {
      files.push({ path: relative(base, current) || current, text: readFileSync(current, 'utf8') })
    }
  }
  visit(path)
  return files
}
