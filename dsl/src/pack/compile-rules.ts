// Rule files → checked IR per rule and policy, with every diagnostic of every file (a broken file
// does not hide the problems of the others). Shared by compilePack, `rules check` and `rules test`.
// Site variables are declared once in the pack and seen by every file, so they are read first.
import { checkDetection } from '../check/check-detection.ts'
import { checkPolicy } from '../check/check-policy.ts'
import { checkVariable } from '../check/check-variables.ts'
import { type Diagnostic, diagnosticAt, type SourceFile } from '../diagnostics/diagnostic.ts'
import type { PolicyIR, RuleIR, VariableIR } from '../runtime/ir.ts'
import type { FileNode, Located, PolicyTestNode, TestNode } from '../syntax/ast.ts'
import { parseFile } from '../syntax/parse-file.ts'
import type { IntelListSource } from './intel-list.ts'

export type CompiledRule = { file: SourceFile; ir: RuleIR; tests: TestNode[] }
export type CompiledPolicy = { file: SourceFile; ir: PolicyIR; tests: PolicyTestNode[] }

/** Not an error, but worth saying: an exception that has expired (it no longer applies). */
export type Notice = { file: string; line: number; column: number; message: string }

export type CompiledRules = {
  rules: CompiledRule[]
  policies: CompiledPolicy[]
  variables: VariableIR[]
  usedLists: Set<string>
  diagnostics: Diagnostic[]
  notices: Notice[]
}

export type CompileRulesOptions = {
  /**
   * Other files of the same pack, read only for their site variable declarations: checking one
   * rule file on its own still knows `$home_nets` declared in rules/policies/.
   */
  context?: SourceFile[]
  /** For notices about expired exceptions (default: the clock). */
  now?: number
}

export function compileRules(
  files: SourceFile[],
  lists: IntelListSource | undefined,
  options: CompileRulesOptions = {},
): CompiledRules {
  const rules: CompiledRule[] = []
  const policies: CompiledPolicy[] = []
  const usedLists = new Set<string>()
  const diagnostics: Diagnostic[] = []
  const notices: Notice[] = []
  const parsed: { file: SourceFile; node: FileNode }[] = []
  for (const file of files) {
    const result = parseFile(file)
    diagnostics.push(...result.diagnostics)
    if (result.file) parsed.push({ file, node: result.file })
  }

  const variables = new Map<string, VariableIR>()
  const declaredAt = new Map<string, string>()
  for (const { file, node } of parsed) {
    for (const declaration of node.variables) {
      const name = declaration.name.value
      const first = declaredAt.get(name)
      const ir = checkVariable(declaration, (problem) =>
        diagnostics.push(diagnosticAt(file, problem)),
      )
      if (first !== undefined) {
        diagnostics.push(
          diagnosticAt(file, {
            ...declaration.name.at,
            message: `site variable $${name} is already declared in ${first}`,
            hint: 'declare each site variable once in the pack',
          }),
        )
        continue
      }
      declaredAt.set(name, `${file.path}:${declaration.name.at.line}`)
      if (ir) variables.set(name, ir)
    }
  }
  const own = new Set(files.map((file) => file.path))
  for (const file of options.context ?? []) {
    if (own.has(file.path)) continue
    for (const declaration of parseFile(file).file?.variables ?? []) {
      const ir = checkVariable(declaration, () => {})
      if (ir && !variables.has(ir.name) && !declaredAt.has(ir.name)) variables.set(ir.name, ir)
    }
  }

  const seen = new Map<string, string>()
  const unique = (file: SourceFile, id: Located<string>, noun: 'rule' | 'policy') => {
    const first = seen.get(id.value)
    if (first !== undefined) {
      diagnostics.push(
        diagnosticAt(file, {
          ...id.at,
          message: `${noun} id ${id.value} is already used in ${first}`,
          hint:
            noun === 'rule'
              ? 'rule ids are unique; give this rule the next free number'
              : 'policy ids are unique in the pack',
        }),
      )
    } else seen.set(id.value, `${file.path}:${id.at.line}`)
  }
  const now = options.now ?? Date.now()
  for (const { file, node } of parsed) {
    const report = (problem: Parameters<typeof diagnosticAt>[1]) =>
      diagnostics.push(diagnosticAt(file, problem))
    for (const rule of node.rules) {
      unique(file, rule.id, 'rule')
      const checked = checkDetection(rule, lists, report, variables)
      for (const list of checked.usedLists) usedLists.add(list)
      if (checked.ir) rules.push({ file, ir: checked.ir, tests: checked.tests })
    }
    for (const policy of node.policies) {
      unique(file, policy.id, 'policy')
      const checked = checkPolicy(policy, variables, report)
      if (!checked.ir) continue
      policies.push({ file, ir: checked.ir, tests: checked.tests })
      for (const statement of policy.statements) {
        if (statement.kind !== 'except') continue
        const exception = checked.ir.exceptions.find((e) => e.name === statement.name.value)
        if (exception && exception.expires <= now)
          notices.push({
            file: file.path,
            line: statement.at.line,
            column: statement.at.column,
            message: `exception ${JSON.stringify(exception.name)} (owner ${exception.owner}) expired at the end of ${exception.expiresText} and no longer applies: renew it with a new date or remove it`,
          })
      }
    }
  }
  return { rules, policies, variables: [...variables.values()], usedLists, diagnostics, notices }
}
