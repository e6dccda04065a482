// One detection's syntax tree → its IR, checking metadata (id, version, class, severity, status,
// ATT&CK ids, bilingual text) and typing the condition. Problems are reported, never thrown.
import { EVENT_KINDS, fieldNames, fieldSpec } from '../../schema/event-schema.ts'
import type { Problem } from '../diagnostics/diagnostic.ts'
import type { IntelListSource } from '../pack/intel-list.ts'
import {
  type BilingualTemplateIR,
  type DetectionIR,
  type ExprIR,
  IR_VERSION,
  type TemplateIR,
} from '../runtime/ir.ts'
import { SEVERITIES, type Severity } from '../runtime/types.ts'
import type {
  DetectionNode,
  Located,
  Section,
  Span,
  TestNode,
  TextListNode,
  TextNode,
} from '../syntax/ast.ts'
import { checkExpression } from './check-expression.ts'
import { isClassId } from './class-ids.ts'
import { closestName } from './closest-name.ts'
import { parseTemplate } from './parse-template.ts'

export const STATUSES = ['experimental', 'test', 'stable', 'deprecated'] as const
export const RULE_ID = /^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d{4}$/
export const ATTACK_ID = /^T\d{4}(?:\.\d{3})?$/

export type CheckedDetection = {
  ir: DetectionIR | undefined
  tests: TestNode[]
  usedLists: Set<string>
}

// Distributes over Section so variants that share a shape (class | severity | status) resolve.
type SectionNamed<K, S = Section> = S extends { name: infer N } ? (K extends N ? S : never) : never
type Sections = { [K in Section['name']]?: SectionNamed<K> }

export function checkDetection(
  node: DetectionNode,
  lists: IntelListSource | undefined,
  report: (problem: Problem) => void,
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
  if (!on)
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
        report: (problem) => {
          failed = true
          report(problem)
        },
      })
    }
  }

  const known = EVENT_KINDS[kind] !== undefined
  const checkHoles = (text: Located<string>) => {
    const parsed = parseTemplate(text.value)
    const at = (index: number): Span => ({
      ...text.at,
      column: text.at.column + 1 + index,
      length: 1,
    })
    if (parsed.error) fail(at(parsed.error.index), parsed.error.message)
    for (const hole of parsed.holes) {
      if (known && fieldSpec(kind, hole.path) === undefined) {
        const near = closestName(hole.path, fieldNames(kind))
        fail(
          { ...at(hole.index), length: hole.path.length + 2 },
          `${kind} events have no field ${hole.path}`,
          near ? `did you mean {${near}}?` : undefined,
        )
      }
    }
    return parsed.template
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

  const key: string[] = []
  for (const field of sections.emit?.key ?? []) {
    if (known && fieldSpec(kind, field.path) === undefined)
      fail(field.at, `${kind} events have no field ${field.path}`)
    key.push(field.path)
  }

  if (failed) return { ir: undefined, tests, usedLists }
  return {
    ir: {
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
    },
    tests,
    usedLists,
  }
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
