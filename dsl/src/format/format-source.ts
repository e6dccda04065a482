// `socbox rules fmt`: one layout for every rule file. Idempotent, keeps comments (own-line
// comments stay before what followed them; a comment after a one-line item stays on its line),
// and never changes meaning (tests compare the IR before and after).
import type { Diagnostic, SourceFile } from '../diagnostics/diagnostic.ts'
import type {
  DetectionNode,
  EventFixture,
  ExprNode,
  FileNode,
  Located,
  OperandNode,
  PolicyNode,
  PolicyStatement,
  Section,
  Span,
  TextNode,
  VariableNode,
} from '../syntax/ast.ts'
import { formatDuration } from '../syntax/duration.ts'
import { parseFile } from '../syntax/parse-file.ts'
import {
  chainOf,
  printExpression,
  printList,
  printLiteral,
  printOperand,
  printString,
} from './print-expression.ts'

const WIDTH = 100
const IND = '  '

export type FormatResult = { text: string | undefined; diagnostics: Diagnostic[] }

export function formatSource(source: SourceFile): FormatResult {
  const { file, diagnostics } = parseFile(source)
  if (!file) return { text: undefined, diagnostics }
  return { text: new Printer(source.text, file).print(), diagnostics: [] }
}

/** One top-level block printed alone in the one layout, without comments (rule-source.ts). */
export function printBlock(text: string, item: FileNode['items'][number]): string {
  const file: FileNode = {
    rules: item.type === 'variable' || item.type === 'policy' ? [] : [item],
    policies: item.type === 'policy' ? [item] : [],
    variables: item.type === 'variable' ? [item] : [],
    items: [item],
    comments: [],
  }
  return new Printer(text, file).print()
}

class Printer {
  private readonly out: string[] = []
  private readonly comments: { text: string; at: Span }[]
  private next = 0
  private readonly lineStarts: number[] = [0]
  private readonly file: FileNode

  constructor(text: string, file: FileNode) {
    this.file = file
    this.comments = [...file.comments].sort((a, b) => a.at.offset - b.at.offset)
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') this.lineStarts.push(i + 1)
  }

  print(): string {
    let previous: FileNode['items'][number]['type'] | undefined
    for (const item of this.file.items) {
      // Variables sit one per line as a block; everything else is separated by a blank line.
      if (previous !== undefined && !(item.type === 'variable' && previous === 'variable'))
        this.out.push('')
      if (item.type === 'policy') this.policy(item)
      else if (item.type === 'variable') this.variable(item)
      else this.rule(item)
      previous = item.type
    }
    this.flush(Number.POSITIVE_INFINITY, '')
    while (this.out[0] === '') this.out.shift()
    return `${this.out.join('\n')}\n`
  }

  /** Own-line comments that come before source line `line`, at the current indent. */
  private flush(line: number, indent: string) {
    while (this.next < this.comments.length && (this.comments[this.next]?.at.line ?? 0) < line) {
      this.out.push(`${indent}${this.comments[this.next]?.text}`)
      this.next++
    }
  }

  /** One output line for the source line `line`; a comment after it on that line stays trailing. */
  private line(line: number, indent: string, text: string, blankBefore = false) {
    if (blankBefore && this.out.length > 0 && this.out.at(-1) !== '') this.out.push('')
    this.flush(line, indent)
    let printed = `${indent}${text}`
    while (this.next < this.comments.length && this.comments[this.next]?.at.line === line) {
      printed += ` ${this.comments[this.next]?.text}`
      this.next++
    }
    this.out.push(printed)
  }

  private endLine(span: Span): number {
    const end = span.offset + span.length - 1
    let low = 0
    let high = this.lineStarts.length - 1
    while (low < high) {
      const mid = (low + high + 1) >> 1
      if ((this.lineStarts[mid] ?? 0) <= end) low = mid
      else high = mid - 1
    }
    return low + 1
  }

  private rule(rule: DetectionNode) {
    this.line(
      rule.at.line,
      '',
      `${rule.type} ${JSON.stringify(rule.id.value)} version ${rule.version.value} {`,
    )
    let previous: Section['name'] | undefined
    for (const section of rule.sections) {
      const logic = [
        'on',
        'within',
        'step',
        'until',
        'lateness',
        'group',
        'window',
        'when',
        'limits',
        'emit',
      ]
      // A blank line before the logic (after the metadata) and before the tests.
      const blank =
        (logic.includes(section.name) && previous !== undefined && !logic.includes(previous)) ||
        (section.name === 'test' && previous !== 'test')
      this.section(section, blank)
      previous = section.name
    }
    this.line(this.endLine(rule.at), '', '}')
  }

  private section(section: Section, blank: boolean) {
    const line = section.at.line
    switch (section.name) {
      case 'title':
      case 'explain': {
        const entries = section.text.entries.map(
          (e) => `${e.lang.value} ${printString(e.text.value, IND)}`,
        )
        const flat = `${section.name} { ${entries.join(' ')} }`
        if (fits(IND, flat) && !flat.includes('\n')) return this.line(line, IND, flat, blank)
        this.line(line, IND, `${section.name} {`, blank)
        for (const entry of section.text.entries) {
          this.line(
            entry.lang.at.line,
            IND + IND,
            `${entry.lang.value} ${printString(entry.text.value, IND + IND)}`,
          )
        }
        return this.line(this.endLine(section.text.at), IND, '}')
      }
      case 'actions': {
        this.line(line, IND, 'actions {', blank)
        for (const entry of section.list.entries)
          this.stringList(entry.lang, entry.items, IND + IND)
        return this.line(this.endLine(section.list.at), IND, '}')
      }
      case 'class':
        return this.line(line, IND, `class ${JSON.stringify(section.word.value)}`, blank)
      case 'severity':
      case 'status':
        return this.line(line, IND, `${section.name} ${word(section.word.value)}`, blank)
      case 'attack':
        return this.line(
          line,
          IND,
          `attack [${section.ids.map((id) => word(id.value)).join(', ')}]`,
          blank,
        )
      case 'references':
        return this.stringList({ value: 'references', at: section.at }, section.urls, IND, blank)
      case 'on': {
        const head = `on ${section.kind.value}`
        if (!section.where) return this.line(line, IND, head, blank)
        const flat = `${head} where ${printExpression(section.where)}`
        const chain = chainOf(section.where)
        if (fits(IND, flat) || !chain) return this.line(line, IND, flat, blank)
        this.line(line, IND, head, blank)
        chain.parts.forEach((part, i) => {
          const lead = i === 0 ? 'where ' : `${IND}${chain.op} `
          this.line(part.at.line, IND, `${lead}${printExpression(part)}`)
        })
        return
      }
      case 'group':
        return this.line(
          line,
          IND,
          `group by ${section.fields.map(printOperand).join(', ')}`,
          blank,
        )
      case 'window':
        return this.line(
          line,
          IND,
          `window ${word(section.kind.value)} ${formatDuration(section.length.value)}`,
          blank,
        )
      case 'lateness':
        return this.line(line, IND, `lateness ${formatDuration(section.length.value)}`, blank)
      case 'limits':
        return this.line(
          line,
          IND,
          `limits ${braced(section.entries.map((e) => `${e.name.value} ${e.value.value}`))}`,
          blank,
        )
      case 'when': {
        const flat = `when ${printExpression(section.expr)}`
        const chain = chainOf(section.expr)
        if (fits(IND, flat) || !chain) return this.line(line, IND, flat, blank)
        chain.parts.forEach((part, i) => {
          const lead = i === 0 ? 'when ' : `${IND}${chain.op} `
          this.line(
            i === 0 ? line : part.at.line,
            IND,
            `${lead}${printExpression(part)}`,
            i === 0 && blank,
          )
        })
        return
      }
      case 'within':
        return this.line(line, IND, `within ${formatDuration(section.length.value)}`, blank)
      case 'step':
      case 'until': {
        const step = section.step
        const head =
          section.name === 'until'
            ? 'until'
            : `${step.absent ? 'absent' : 'step'} ${step.label?.value ?? ''}`
        const where = step.where ? ` where ${printExpression(step.where)}` : ''
        const by = step.by.length > 0 ? ` by ${step.by.map(printOperand).join(', ')}` : ''
        const flat = `${head} on ${step.kind.value}${where}${by}`
        if (fits(IND, flat)) return this.line(line, IND, flat, blank)
        // Too long: the condition one operand per line, then by, under the step.
        this.line(line, IND, `${head} on ${step.kind.value}`, blank)
        if (step.where) {
          const chain = chainOf(step.where)
          const parts = chain?.parts ?? [step.where]
          parts.forEach((part, i) => {
            const lead = i === 0 ? 'where ' : `${IND}${chain?.op} `
            this.line(part.at.line, IND + IND, `${lead}${printExpression(part)}`)
          })
        }
        if (by) this.line(step.by[0]?.at.line ?? line, IND + IND, by.trim())
        return
      }
      case 'emit':
        return this.line(line, IND, `emit key [${section.key.map(printOperand).join(', ')}]`, blank)
      case 'test': {
        const { test } = section
        const given = test.given.map(fixture)
        const parts = [
          ...given,
          ...(test.expect === undefined ? [] : [`expect ${test.expect.value}`]),
        ]
        const flat = `test ${JSON.stringify(test.name.value)} ${braced(parts)}`
        if (fits(IND, flat) && given.length <= 1) return this.line(line, IND, flat, blank)
        this.line(line, IND, `test ${JSON.stringify(test.name.value)} {`, blank)
        test.given.forEach((g, i) => {
          this.line(g.at.line, IND + IND, given[i] ?? '')
        })
        if (test.expect) this.line(test.expect.at.line, IND + IND, `expect ${test.expect.value}`)
        return this.line(this.endLine(test.at), IND, '}')
      }
      default: {
        // A new kind of section must get a layout here; never drop it silently.
        const unknown: never = section
        throw new Error(`no layout for section ${JSON.stringify(unknown)}`)
      }
    }
  }

  private variable(node: VariableNode) {
    const value =
      node.value.type === 'list' ? printList(node.value.items) : printLiteral(node.value)
    const head = `variable $${node.name.value} ${node.valueType.value} ${value}`
    if (!node.text) return this.line(node.at.line, '', head)
    const flat = `${head} ${textBlock(node.text, '')}`
    if (fits('', flat) && !flat.includes('\n')) return this.line(node.at.line, '', flat)
    this.line(node.at.line, '', `${head} {`)
    for (const entry of node.text.entries)
      this.line(
        entry.lang.at.line,
        IND,
        `${entry.lang.value} ${printString(entry.text.value, IND)}`,
      )
    this.line(this.endLine(node.text.at), '', '}')
  }

  private policy(policy: PolicyNode) {
    this.line(
      policy.at.line,
      '',
      `policy ${JSON.stringify(policy.id.value)} version ${policy.version.value} {`,
    )
    let previous: PolicyStatement['kind'] | undefined
    for (const statement of policy.statements) {
      // Statements of one kind stay together; a blank line where the kind changes.
      const group = (kind: PolicyStatement['kind'] | undefined) =>
        kind === 'title' || kind === 'explain' ? 'text' : kind
      const blank = previous !== undefined && group(previous) !== group(statement.kind)
      this.policyStatement(statement, blank || (statement.kind === 'test' && previous === 'test'))
      previous = statement.kind
    }
    this.line(this.endLine(policy.at), '', '}')
  }

  private policyStatement(statement: PolicyStatement, blank: boolean) {
    const line = statement.at.line
    const when = (expr: ExprNode | undefined) => (expr ? ` when ${printExpression(expr)}` : '')
    const by = (values: OperandNode[] | undefined) =>
      values ? ` by ${values.map(printOperand).join(', ')}` : ''
    switch (statement.kind) {
      case 'title':
      case 'explain': {
        const flat = `${statement.kind} ${textBlock(statement.text, IND)}`
        if (fits(IND, flat) && !flat.includes('\n')) return this.line(line, IND, flat, blank)
        this.line(line, IND, `${statement.kind} {`, blank)
        for (const entry of statement.text.entries)
          this.line(
            entry.lang.at.line,
            IND + IND,
            `${entry.lang.value} ${printString(entry.text.value, IND + IND)}`,
          )
        return this.line(this.endLine(statement.text.at), IND, '}')
      }
      case 'severity': {
        const change =
          statement.to !== undefined ? `to ${statement.to.value}` : `by ${statement.by?.value}`
        return this.conditional(
          line,
          `${statement.direction} severity ${change}`,
          statement.when,
          blank,
        )
      }
      case 'except':
      case 'suppress': {
        const fields = statement.fields.map(
          (f) =>
            `${f.word.value} ${/^\d{4}-/.test(f.value.value) && (f.word.value === 'expires' || f.word.value === 'from' || f.word.value === 'to') ? f.value.value : JSON.stringify(f.value.value)}`,
        )
        const head = `${statement.kind} ${JSON.stringify(statement.name.value)}`
        const flat = `${head} ${fields.join(' ')}${when(statement.when)}`
        if (fits(IND, flat)) return this.line(line, IND, flat, blank)
        // Long: the name and its metadata, then the condition on its own lines.
        this.line(line, IND, `${head} ${fields.join(' ')}`, blank)
        if (statement.when) this.condition(statement.when, IND + IND)
        return
      }
      case 'dedup':
        return this.conditional(
          line,
          `dedup ${formatDuration(statement.window.value)}${by(statement.by)}`,
          statement.when,
          blank,
        )
      case 'rate':
        return this.conditional(
          line,
          `rate ${statement.max.value} per ${formatDuration(statement.per.value)}${by(statement.by)}`,
          statement.when,
          blank,
        )
      case 'route':
        return this.conditional(
          line,
          `route ${statement.channels.map((c) => word(c.value)).join(', ')}`,
          statement.when,
          blank,
        )
      case 'limits':
        return this.line(
          line,
          IND,
          `limits ${braced(statement.entries.map((e) => `${e.name.value} ${e.value.value}`))}`,
          blank,
        )
      case 'test': {
        const { test } = statement
        const given = test.given.map(fixture)
        const expect =
          test.expect.length === 0
            ? []
            : [
                `expect ${test.expect
                  .map(
                    (e) =>
                      `${e.name.value} ${e.value.type === 'list' ? printList(e.value.items) : printLiteral(e.value)}`,
                  )
                  .join(' ')}`,
              ]
        const flat = `test ${JSON.stringify(test.name.value)} ${braced([...given, ...expect])}`
        if (fits(IND, flat) && given.length <= 1) return this.line(line, IND, flat, blank)
        this.line(line, IND, `test ${JSON.stringify(test.name.value)} {`, blank)
        test.given.forEach((g, i) => {
          this.line(g.at.line, IND + IND, given[i] ?? '')
        })
        const first = test.expect[0]
        if (first) this.line(first.name.at.line, IND + IND, expect[0] ?? '')
        return this.line(this.endLine(test.at), IND, '}')
      }
      default: {
        const unknown: never = statement
        throw new Error(`no layout for policy statement ${JSON.stringify(unknown)}`)
      }
    }
  }

  /** `head when …` on one line, or the condition broken over lines under the head. */
  private conditional(line: number, head: string, expr: ExprNode | undefined, blank: boolean) {
    const flat = expr ? `${head} when ${printExpression(expr)}` : head
    if (fits(IND, flat) || !expr || !chainOf(expr)) return this.line(line, IND, flat, blank)
    this.line(line, IND, head, blank)
    this.condition(expr, IND + IND)
  }

  private condition(expr: ExprNode, indent: string) {
    const chain = chainOf(expr)
    const parts = chain?.parts ?? [expr]
    parts.forEach((part, i) => {
      const lead = i === 0 ? 'when ' : `${IND}${chain?.op} `
      this.line(part.at.line, indent, `${lead}${printExpression(part)}`)
    })
  }

  private stringList(
    head: Located<string>,
    items: Located<string>[],
    indent: string,
    blank = false,
  ) {
    const flat = `${head.value} [${items.map((i) => printString(i.value)).join(', ')}]`
    if (fits(indent, flat)) return this.line(head.at.line, indent, flat, blank)
    this.line(head.at.line, indent, `${head.value} [`, blank)
    items.forEach((item, i) => {
      this.line(
        item.at.line,
        indent + IND,
        `${printString(item.value, indent + IND)}${i < items.length - 1 ? ',' : ''}`,
      )
    })
    this.line(items.at(-1)?.at.line ?? head.at.line, indent, ']')
  }
}

function fixture(event: EventFixture): string {
  const fields = event.fields.map(
    ({ path, value }) =>
      `${path.value} ${value.type === 'list' ? printList(value.items) : printLiteral(value)}`,
  )
  const at = event.offset === undefined ? '' : `at ${formatDuration(event.offset.value)} `
  const every =
    event.repeat?.every === undefined ? '' : ` every ${formatDuration(event.repeat.every.value)}`
  const repeat = event.repeat === undefined ? '' : `repeat ${event.repeat.count.value}${every} `
  return `${at}${repeat}given ${event.kind.value} ${braced(fields)}`
}

function textBlock(text: TextNode, indent: string): string {
  return `{ ${text.entries.map((e) => `${e.lang.value} ${printString(e.text.value, indent)}`).join(' ')} }`
}

function braced(parts: string[]): string {
  return parts.length === 0 ? '{ }' : `{ ${parts.join(' ')} }`
}

const RESERVED = new Set(['and', 'or', 'not', 'in', 'matches', 'true', 'false'])

/** Bare when it lexes back as one identifier or ATT&CK id, quoted otherwise. */
function word(value: string): string {
  const bare = /^[A-Za-z_][A-Za-z0-9_]*$/.test(value) || /^T\d+(?:\.\d+)?$/.test(value)
  return bare && !RESERVED.has(value) ? value : JSON.stringify(value)
}

function fits(indent: string, text: string): boolean {
  return indent.length + displayWidth(text) <= WIDTH
}

// Japanese text takes two columns per character in a terminal or editor; count it so.
const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u

export function displayWidth(text: string): number {
  let width = 0
  for (const char of text) width += WIDE.test(char) ? 2 : 1
  return width
}
