// One rule's syntax tree (detection or correlation) → its IR, checking metadata (id, version,
// class, severity, status, ATT&CK ids, bilingual text), typing the condition and, for a
// correlation, its window and aggregates. Problems are reported, never thrown.
import { EVENT_KINDS, fieldSpec } from '../../schema/event-schema.ts'
import type { Problem } from '../diagnostics/diagnostic.ts'
import type { IntelListSource } from '../pack/intel-list.ts'
import {
  type BilingualTemplateIR,
  type DetectionIR,
  type ExprIR,
  IR_VERSION,
  type RuleIR,
  type TemplateIR,
  type ValueIR,
  type VariableIR,
} from '../runtime/ir.ts'
import { SEVERITIES, type Severity } from '../runtime/types.ts'
import type {
  DetectionNode,
  Located,
  OperandNode,
  Section,
  Span,
  TestNode,
  TextListNode,
  TextNode,
} from '../syntax/ast.ts'
import { parseOperand } from '../syntax/parse-operand.ts'
import {
  aggregateOf,
  createAggregateRegistry,
  FIELD_AGGREGATES,
  PLAIN_AGGREGATES,
} from './check-aggregates.ts'
import {
  type CheckedCorrelation,
  CORRELATION_SECTIONS,
  checkCorrelationSections,
} from './check-correlation.ts'
import { checkExpression, checkValue } from './check-expression.ts'
import { type CheckedSequence, checkSequenceSections, SEQUENCE_SECTIONS } from './check-sequence.ts'
import { isClassId } from './class-ids.ts'
import { closestName } from './closest-name.ts'
import { parseTemplate } from './parse-template.ts'

export const STATUSES = ['experimental', 'test', 'stable', 'deprecated'] as const
export const RULE_ID = /^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d{4}$/
export const ATTACK_ID = /^T\d{4}(?:\.\d{3})?$/

export type CheckedDetection = {
  ir: RuleIR | undefined
  tests: TestNode[]
  usedLists: Set<string>
}

// Distributes over Section so variants that share a shape (class | severity | status) resolve.
type SectionNamed<K, S = Section> = S extends { name: infer N } ? (K extends N ? S : never) : never
type Sections = { [K in Section['name']]?: SectionNamed<K> }

const NO_VARIABLES: ReadonlyMap<string, VariableIR> = new Map()

export function checkDetection(
  node: DetectionNode,
  lists: IntelListSource | undefined,
  report: (problem: Problem) => void,
  variables: ReadonlyMap<string, VariableIR> = NO_VARIABLES,
): CheckedDetection {
  let failed = false
  const fail = (at: Span, message: string, hint?: string) => {
    failed = true
    report({
      line: at.line,
      column: at.column,
      length: at.length,
      message,
      ...(hint ? { hint } : {}),
    })
  }
  const usedLists = new Set<string>()
  const id = node.id.value
  if (!RULE_ID.test(id))
    fail(
      node.id.at,
      `rule id ${JSON.stringify(id)} is not of the form SB-AREA-0001`,
      'e.g. "SB-TOR-0001": upper-case prefix, area, four digits',
    )
  if (!Number.isInteger(node.version.value) || node.version.value < 1)
    fail(
      node.version.at,
      'version must be a whole number from 1',
      'bump it on every change of logic',
    )

  const sections: Sections = {}
  const tests: TestNode[] = []
  for (const section of node.sections) {
    if (section.name === 'test') {
      tests.push(section.test)
      continue
    }
    if (section.name === 'step') continue // a sequence has many, read in order by its checker
    if (sections[section.name]) {
      fail(section.at, `${section.name} is given twice`, 'keep one of them')
      continue
    }
    ;(sections as Record<string, Section>)[section.name] = section
  }

  const status = sections.status?.word.value ?? 'experimental'
  if (sections.status && !(STATUSES as readonly string[]).includes(status)) {
    fail(sections.status.word.at, `unknown status ${status}`, `one of ${STATUSES.join(', ')}`)
  }
  const stable = status === 'stable'

  const className = sections.class?.word.value ?? ''
  if (!sections.class)
    fail(
      node.id.at,
      `rule ${id} has no class`,
      'add e.g. class "suspicious.tor" (ids from service-terms.md)',
    )
  else if (!isClassId(className))
    fail(
      sections.class.word.at,
      `unknown class ${JSON.stringify(className)}`,
      'use a class id of service-terms.md, e.g. malware.c2, download.exploit-kit',
    )

  const severity = sections.severity?.word.value ?? ''
  if (!sections.severity)
    fail(node.id.at, `rule ${id} has no severity`, `add severity ${SEVERITIES.join('|')}`)
  else if (!(SEVERITIES as readonly string[]).includes(severity))
    fail(
      sections.severity.word.at,
      `unknown severity ${severity}`,
      `one of ${SEVERITIES.join(', ')}`,
    )

  const attack: string[] = []
  for (const technique of sections.attack?.ids ?? []) {
    if (!ATTACK_ID.test(technique.value))
      fail(
        technique.at,
        `${JSON.stringify(technique.value)} is not an ATT&CK technique id`,
        'write T1234 or T1234.001',
      )
    else if (attack.includes(technique.value))
      fail(technique.at, `${technique.value} is listed twice`)
    else attack.push(technique.value)
  }
  const references: string[] = []
  for (const url of sections.references?.urls ?? []) {
    if (!/^https?:\/\/\S+$/.test(url.value)) fail(url.at, 'a reference must be an http(s) URL')
    references.push(url.value)
  }

  const on = sections.on
  let kind = ''
  let where: ExprIR = { op: 'const', value: true }
  let sequence: CheckedSequence | undefined
  if (node.type === 'sequence') {
    sequence = checkSequenceSections(node, node.sections, lists, usedLists, fail, variables)
    kind = sequence.lastKind
    for (const name of ['on', 'emit', 'group', 'window', 'when'] as const) {
      const section = sections[name]
      if (section)
        fail(
          section.at,
          `${name} does not belong in a sequence`,
          'steps say what to match: step a on … where … by …',
        )
    }
  } else if (!on)
    fail(node.id.at, `rule ${id} has no on section`, 'add e.g. on dns where query in intel("…")')
  else {
    kind = on.kind.value
    if (EVENT_KINDS[kind] === undefined) {
      const near = closestName(kind, Object.keys(EVENT_KINDS))
      fail(
        on.kind.at,
        `unknown event kind ${kind}`,
        near ? `did you mean ${near}?` : `kinds: ${Object.keys(EVENT_KINDS).join(', ')}`,
      )
    } else if (on.where) {
      where = checkExpression(on.where, {
        kind,
        lists,
        usedLists,
        variables,
        // first_seen keeps state per rule; a correlation counts events instead.
        firstSeen: node.type === 'detection',
        report: (problem) => {
          failed = true
          report(problem)
        },
      })
    }
  }

  const known = EVENT_KINDS[kind] !== undefined
  const registry = createAggregateRegistry()
  let correlation: CheckedCorrelation | undefined
  if (node.type === 'correlation') {
    const context = {
      kind,
      lists,
      usedLists,
      variables,
      report: (p: Problem) => fail({ ...p, offset: 0, length: p.length ?? 1 }, p.message, p.hint),
    }
    correlation = checkCorrelationSections(
      node,
      sections,
      known ? kind : '',
      registry,
      fail,
      (operand) => checkValue(operand, context),
      variables,
    )
    for (const name of SEQUENCE_SECTIONS) {
      const section = sections[name]
      if (section)
        fail(
          section.at,
          `${name} belongs in a sequence`,
          `write sequence "${id}" … for ordered steps`,
        )
    }
  } else if (node.type === 'detection') {
    for (const name of [...CORRELATION_SECTIONS, ...SEQUENCE_SECTIONS]) {
      const section = sections[name]
      if (section)
        fail(
          section.at,
          `${name} belongs in a correlation`,
          `write correlation "${id}" … to count events over a window`,
        )
    }
  }
  const holeContext = (at: Span) => ({
    kind,
    lists,
    usedLists,
    report: (p: Problem) =>
      fail({ ...at, length: Math.max(at.length, p.length ?? 1) }, p.message, p.hint),
  })
  const checkHoles = (text: Located<string>): TemplateIR => {
    const parsed = parseTemplate(text.value)
    // Exact columns inside a one-line string; a multi-line block points at its start.
    const oneLine = !text.value.includes('\n')
    const at = (index: number, length: number): Span =>
      oneLine
        ? { ...text.at, column: text.at.column + 1 + index, length }
        : { ...text.at, length: 3 }
    if (parsed.error) fail(at(parsed.error.index, 1), parsed.error.message)
    const template: TemplateIR = []
    for (const part of parsed.parts) {
      if (typeof part === 'string') {
        template.push(part)
        continue
      }
      const where = at(part.index, part.hole.length + 2)
      const operand = parseOperand(part.hole)
      if (operand === undefined) {
        fail(
          where,
          `{${part.hole}} is not a field or a function of fields`,
          'e.g. {src.ip}, {lower(query)} (write {{ for a brace)',
        )
        continue
      }
      if (!known) continue
      // In a sequence, `{label.field}` names a field of that step's event.
      const stepKind =
        operand.type === 'field'
          ? sequence?.labels.get(operand.path.split('.')[0] ?? '')
          : undefined
      if (operand.type === 'field' && stepKind !== undefined) {
        const rest = operand.path.slice(operand.path.indexOf('.') + 1)
        if (!operand.path.includes('.') || fieldSpec(stepKind, rest) === undefined) {
          fail(
            where,
            `${stepKind} events have no field ${operand.path.includes('.') ? rest : '(none named)'}`,
            'write {label.field}, e.g. {dl.host}',
          )
        } else template.push({ ref: operand.path })
        continue
      }
      if (correlation && isAggregate(operand)) {
        const aggregate = aggregateOf(operand, kind, (p) => fail(where, p.message, p.hint))
        if (aggregate) template.push({ ref: registry.refOf(aggregate) })
        continue
      }
      template.push(checkValue(operand, holeContext(where)).ir)
    }
    return template
  }

  const title = bilingual(
    'title',
    sections.title?.text,
    { required: true, stable },
    node,
    fail,
    checkHoles,
  )
  const explain = bilingual(
    'explain',
    sections.explain?.text,
    { required: stable, stable },
    node,
    fail,
    checkHoles,
  )
  const actions = bilingualList(sections.actions?.list, stable, node, fail, checkHoles)

  // Plain fields stay paths (the common case, cheapest to read); functions of fields are values.
  const key: (string | ValueIR)[] = []
  for (const operand of sections.emit?.key ?? []) {
    if (operand.type === 'field') {
      if (known && fieldSpec(kind, operand.path) === undefined)
        fail(operand.at, `${kind} events have no field ${operand.path}`)
      key.push(operand.path)
    } else if (known) key.push(checkValue(operand, holeContext(operand.at)).ir)
  }

  // A stable rule proves both ways that it works: one test that fires, one that stays quiet.
  if (stable) {
    const expected = tests.map((test) => test.expect?.value)
    if (!expected.some((n) => n !== undefined && n > 0))
      fail(node.id.at, 'a stable rule needs a test that fires (expect 1 or more)')
    if (!expected.some((n) => n === 0))
      fail(node.id.at, 'a stable rule needs a test that stays quiet (expect 0)')
  }

  if (failed) return { ir: undefined, tests, usedLists }
  const detection: DetectionIR = {
    ir: IR_VERSION,
    type: 'detection',
    id,
    version: node.version.value,
    status,
    class: className,
    severity: severity as Severity,
    attack,
    references,
    title,
    explain,
    actions,
    on: kind,
    where,
    key,
  }
  if (sequence) {
    const { labels: _labels, lastKind: _lastKind, ...rest } = sequence
    return {
      ir: { ...detection, type: 'sequence', ...rest, on: sequence.steps[0]?.on ?? '' },
      tests,
      usedLists,
    }
  }
  if (!correlation) return { ir: detection, tests, usedLists }
  return {
    ir: { ...detection, type: 'correlation', ...correlation, aggregates: registry.list },
    tests,
    usedLists,
  }
}

function isAggregate(operand: OperandNode): boolean {
  const name = operand.type === 'field' ? operand.path : operand.type === 'call' ? operand.name : ''
  return (
    (PLAIN_AGGREGATES as readonly string[]).includes(name) ||
    (FIELD_AGGREGATES as readonly string[]).includes(name)
  )
}
type Fail = (at: Span, message: string, hint?: string) => void
type Holes = (text: Located<string>) => TemplateIR

// Both languages are required for stable rules; below stable a missing one falls back to the
// other, so an alert always has text in both.
function bilingual(
  name: string,
  node: TextNode | undefined,
  need: { required: boolean; stable: boolean },
  rule: DetectionNode,
  fail: Fail,
  holes: Holes,
): BilingualTemplateIR {
  const byLang = new Map<string, TemplateIR>()
  for (const entry of node?.entries ?? []) {
    const lang = entry.lang.value
    if (lang !== 'en' && lang !== 'ja')
      fail(entry.lang.at, `unknown language ${lang}`, 'write en "…" ja "…"')
    else if (byLang.has(lang)) fail(entry.lang.at, `${name} has ${lang} twice`)
    else byLang.set(lang, holes(entry.text))
  }
  const en = byLang.get('en')
  const ja = byLang.get('ja')
  const at = node?.at ?? rule.id.at
  if (need.required && en === undefined && ja === undefined)
    fail(at, `rule ${rule.id.value} has no ${name}`, `add ${name} { en "…" ja "…" }`)
  else if (need.stable && (en === undefined || ja === undefined)) {
    fail(
      at,
      `a stable rule needs ${name} in English and Japanese`,
      `add the missing ${en === undefined ? 'en' : 'ja'} text`,
    )
  }
  return { en: en ?? ja ?? [], ja: ja ?? en ?? [] }
}

function bilingualList(
  node: TextListNode | undefined,
  stable: boolean,
  rule: DetectionNode,
  fail: Fail,
  holes: Holes,
) {
  const byLang = new Map<string, TemplateIR[]>()
  for (const entry of node?.entries ?? []) {
    const lang = entry.lang.value
    if (lang !== 'en' && lang !== 'ja')
      fail(entry.lang.at, `unknown language ${lang}`, 'write en ["…"] ja ["…"]')
    else if (byLang.has(lang)) fail(entry.lang.at, `actions has ${lang} twice`)
    else byLang.set(lang, entry.items.map(holes))
  }
  const en = byLang.get('en')
  const ja = byLang.get('ja')
  if (stable && (en === undefined || ja === undefined)) {
    fail(
      node?.at ?? rule.id.at,
      'a stable rule needs actions in English and Japanese',
      'add actions { en ["…"] ja ["…"] }',
    )
  } else if (en && ja && en.length !== ja.length) {
    fail(
      node?.at ?? rule.id.at,
      `actions has ${en.length} English and ${ja.length} Japanese items`,
      'translate each action',
    )
  }
  return { en: en ?? ja ?? [], ja: ja ?? en ?? [] }
}
