// Rule files → checked IR per rule, with every diagnostic of every file (a broken file does not
// hide the problems of the others). Shared by compilePack, `rules check` and `rules test`.
import { checkDetection } from '../check/check-detection.ts'
import { type Diagnostic, diagnosticAt, type SourceFile } from '../diagnostics/diagnostic.ts'
import type { RuleIR } from '../runtime/ir.ts'
import type { TestNode } from '../syntax/ast.ts'
import { parseFile } from '../syntax/parse-file.ts'
import type { IntelListSource } from './intel-list.ts'

export type CompiledRule = { file: SourceFile; ir: RuleIR; tests: TestNode[] }

export type CompiledRules = {
  rules: CompiledRule[]
  usedLists: Set<string>
  diagnostics: Diagnostic[]
}

export function compileRules(
  files: SourceFile[],
  lists: IntelListSource | undefined,
): CompiledRules {
  const rules: CompiledRule[] = []
  const usedLists = new Set<string>()
  const diagnostics: Diagnostic[] = []
  const seen = new Map<string, string>()
  for (const file of files) {
    const parsed = parseFile(file)
    diagnostics.push(...parsed.diagnostics)
    for (const node of parsed.file?.rules ?? []) {
      const id = node.id.value
      const first = seen.get(id)
      if (first !== undefined) {
        diagnostics.push(
          diagnosticAt(file, {
            line: node.id.at.line,
            column: node.id.at.column,
            length: node.id.at.length,
            message: `rule id ${id} is already used in ${first}`,
            hint: 'rule ids are unique; give this rule the next free number',
          }),
        )
      } else seen.set(id, `${file.path}:${node.id.at.line}`)
      const checked = checkDetection(node, lists, (problem) =>
        diagnostics.push(diagnosticAt(file, problem)),
      )
      for (const list of checked.usedLists) usedLists.add(list)
      if (checked.ir) rules.push({ file, ir: checked.ir, tests: checked.tests })
    }
  }
  return { rules, usedLists, diagnostics }
}
