// Source text → syntax tree + diagnostics. Lexing and parsing errors come back as data with the
// line and column of the offending token and a hint for the usual cause.
import type { ILexingError, IRecognitionException } from 'chevrotain'
import { type Diagnostic, diagnosticAt, type SourceFile } from '../diagnostics/diagnostic.ts'
import type { FileNode } from './ast.ts'
import { lexer } from './lexer.ts'
import { parser } from './parser.ts'
import { spanOf } from './span.ts'

export type ParseResult = { file: FileNode | undefined; diagnostics: Diagnostic[] }

export function parseFile(source: SourceFile): ParseResult {
  const lexed = lexer.tokenize(source.text)
  const diagnostics = lexed.errors.map((error) => lexDiagnostic(source, error))
  parser.input = lexed.tokens
  const file = parser.file()
  // A parse error on a line that failed to lex is an echo of the lexing error: leave it out.
  const lexedBadly = new Set(diagnostics.map((d) => d.line))
  for (const error of parser.errors) {
    const diagnostic = parseDiagnostic(source, error)
    if (!lexedBadly.has(diagnostic.line)) diagnostics.push(diagnostic)
  }
  if (diagnostics.length > 0) return { file: undefined, diagnostics }
  file.comments = (lexed.groups.comments ?? []).map((token) => ({
    text: token.image,
    at: spanOf(token),
  }))
  return { file, diagnostics }
}

function lexDiagnostic(source: SourceFile, error: ILexingError): Diagnostic {
  const char = source.text.charAt(error.offset)
  const hint =
    char === '"'
      ? 'a string must close on the same line ("""…""" spans lines) and may use only the escapes \\" \\\\ \\n \\t \\uXXXX'
      : char === '=' || char === '!'
        ? 'comparisons are written == and !='
        : 'remove the character or put it inside a "string"'
  return diagnosticAt(source, {
    line: error.line ?? 1,
    column: error.column ?? 1,
    length: error.length,
    message: `unexpected character ${JSON.stringify(char)}`,
    hint,
  })
}

function parseDiagnostic(source: SourceFile, error: IRecognitionException): Diagnostic {
  const token = error.token
  // At end of input Chevrotain reports a token without a position: point after the last character.
  if (token.tokenType.name === 'EOF' || Number.isNaN(token.startOffset)) {
    const lines = source.text.split('\n')
    const last = lines.length
    return diagnosticAt(source, {
      line: last,
      column: (lines[last - 1]?.length ?? 0) + 1,
      message: `unexpected end of file: ${expectation(error)}`,
      hint: 'a rule ends with } — check that every { and [ is closed',
    })
  }
  const found = JSON.stringify(token.image)
  return diagnosticAt(source, {
    line: token.startLine ?? 1,
    column: token.startColumn ?? 1,
    length: token.image.length,
    message: `unexpected ${found}: ${expectation(error)}`,
    hint: hintFor(error),
  })
}

function expectation(error: IRecognitionException): string {
  const rule = error.context.ruleStack.at(-1) ?? ''
  // Inside a rule body the parser leaves the sections loop and then wants the closing brace.
  if (rule === 'detection' && error.message.includes("--> '}' <--")) return `expected ${SECTIONS}`
  if (rule === 'policy' && error.message.includes("--> '}' <--"))
    return `expected ${POLICY_STATEMENTS}`
  const expected = EXPECTED_BY_RULE[rule]
  if (expected) return `expected ${expected}`
  return error.message.split('\n')[0] ?? error.message
}

const SECTIONS =
  'a section (title, explain, actions, class, severity, status, attack, references, on, emit, test) or }'

const POLICY_STATEMENTS =
  'a policy statement (raise/lower/set severity, except, suppress, dedup, rate, route, limits, test) or }'

// What a reader should see instead of Chevrotain's token names, keyed by the rule being parsed.
const EXPECTED_BY_RULE: Record<string, string> = {
  file: 'a rule (detection "ID" version N { … }), a policy "ID" version N { … } or a variable $name TYPE value',
  variable: 'variable $name TYPE default, e.g. variable $home_nets cidrs [10.0.0.0/8]',
  policy: 'policy "ID" version N { statements }',
  policyStatement: POLICY_STATEMENTS,
  severityStatement:
    'raise|lower|set severity to LEVEL when …, or raise|lower severity by N when …',
  exceptStatement: 'except "name" owner "…" reason "…" expires 2027-03-31 when …',
  dedupStatement: 'dedup DURATION [by field, …] [when …], e.g. dedup 1h when class == "recon.scan"',
  rateStatement: 'rate N per DURATION [by field, …] [when …], e.g. rate 50 per 1h',
  routeStatement: 'route CHANNEL, … [when …], e.g. route immediate when severity >= high',
  byClause: 'by field, …',
  whenClause: 'when condition',
  policyTest: 'test "name" { given alert { field value … } expect stored N … }',
  variableRef: 'a site variable, e.g. $home_nets',
  detection: 'detection "ID" version N { sections }',
  section: SECTIONS,
  text: 'a language and its text, e.g. en "…" ja "…"',
  stringValue: 'a "string"',
  stringList: 'a list of strings, e.g. ["a", "b"]',
  actionsSection: 'actions { en ["…"] ja ["…"] }',
  wordSection: 'a word or a "string"',
  attackSection: 'ATT&CK ids, e.g. attack [T1090.003]',
  onSection: 'an event kind, e.g. on dns where …',
  emitSection: 'emit key [field, …]',
  testSection: 'test "name" { given kind { field value … } expect N }',
  givenEvent: 'given kind { field value … }',
  primary: 'a condition, e.g. query == "x" or (…)',
  comparison: 'a comparison: == != < <= > >= in [..] in intel("…")',
  inSet: 'a list [..] or a call such as intel("list")',
  literalList: 'a list of values, e.g. ["a", 1]',
  operand: 'a field, a value or a function call',
  pathOrCall: 'a field path or a call',
  fieldPath: 'a field path, e.g. src.ip',
  pathTail: 'a field name after the dot',
  literal: 'a value: "string", number, IP address, true or false',
}

function hintFor(error: IRecognitionException): string {
  const rule = error.context.ruleStack.at(-1) ?? ''
  const image = error.token.image
  if (image === '=') return 'compare with =='
  if (rule === 'section' || rule === 'detection')
    return 'sections are words followed by their value; check the spelling'
  if (rule === 'policyStatement' || rule === 'policy')
    return 'each policy statement starts with its word: raise, lower, set, except, suppress, dedup, rate, route, limits, test'
  if (image.startsWith('$')) return 'a site variable goes where a value does: src.ip in $home_nets'
  if (rule === 'text') return 'write each language as en "…" ja "…"'
  if (rule === 'orExpr' || rule === 'andExpr' || rule === 'comparison')
    return 'join conditions with and / or'
  return 'check the syntax against the language reference'
}
