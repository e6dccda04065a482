// What a rule *is*, as text: the rule printed alone by the formatter, without its comments, its
// tests and its version number. Lifecycle checks fingerprint this, so a change of layout,
// comments or tests, or a compiler change that lowers the same rule to different IR, needs no
// version bump, while any edit of what the rule matches, says or is (class, severity, text,
// condition, key…) does.
import type { SourceFile } from '../diagnostics/diagnostic.ts'
import { parseFile } from '../syntax/parse-file.ts'
import { printBlock } from './format-source.ts'

export type RuleSource = { id: string; version: number; line: number; text: string }

/** The canonical source of every rule of a file; empty when the file does not parse. */
export function ruleSources(source: SourceFile): RuleSource[] {
  const { file } = parseFile(source)
  if (!file) return []
  return file.rules.map((rule) => ({
    id: rule.id.value,
    version: rule.version.value,
    line: rule.at.line,
    text: printBlock(source.text, {
      ...rule,
      version: { ...rule.version, value: 0 },
      sections: rule.sections.filter((section) => section.name !== 'test'),
    }),
  }))
}
