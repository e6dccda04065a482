// Errors as data: every stage reports problems as Diagnostics and keeps going where it can.

export type Diagnostic = {
  file: string
  line: number
  column: number
  message: string
  hint: string
  /** The source line and a caret under the offending text. */
  excerpt: string
}

export type SourceFile = { path: string; text: string }

export type Problem = {
  line: number
  column: number
  length?: number
  message: string
  hint?: string
}

export function diagnosticAt(source: SourceFile, problem: Problem): Diagnostic {
  return {
    file: source.path,
    line: problem.line,
    column: problem.column,
    message: problem.message,
    hint: problem.hint ?? '',
    excerpt: excerptAt(source.text, problem.line, problem.column, problem.length ?? 1),
  }
}

export function excerptAt(text: string, line: number, column: number, length: number): string {
  const source = text.split('\n')[line - 1]?.replace(/\r$/, '') ?? ''
  const gutter = `${line} | `
  // Tabs keep their width under the caret; everything else becomes a space.
  const lead = source.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ')
  const width = Math.max(1, Math.min(length, source.length - (column - 1)))
  return `${gutter}${source}\n${' '.repeat(gutter.length - 2)}| ${lead}${'^'.repeat(width)}`
}

/** `file:line:column: message`, the excerpt, then the hint: what `socbox rules check` prints. */
export function formatDiagnostic(d: Diagnostic): string {
  const lines = [`${d.file}:${d.line}:${d.column}: ${d.message}`, indent(d.excerpt)]
  if (d.hint) lines.push(`  hint: ${d.hint}`)
  return lines.join('\n')
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}
