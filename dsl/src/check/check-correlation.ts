// The sections only a correlation has: group by, window, lateness, when, limits.
import { fieldNames } from '../../schema/event-schema.ts'
import type { ExprIR, LimitsIR, ValueIR, VariableIR, WindowIR } from '../runtime/ir.ts'
import type { DetectionNode, OperandNode, Section, Span } from '../syntax/ast.ts'
import { type AggregateRegistry, checkWhen } from './check-aggregates.ts'

export const CORRELATION_SECTIONS = ['group', 'window', 'lateness', 'when', 'limits'] as const

export const DEFAULT_LIMITS: LimitsIR = { groups: 10_000, distinct: 1_000, events: 10_000 }
/** Per-rule ceilings: one rule may not claim more state than a sensor's Durable Object can hold. */
export const MAX_LIMITS: LimitsIR = { groups: 1_000_000, distinct: 100_000, events: 100_000 }
const MAX_WINDOW_MS = 7 * 86_400_000
const MAX_LATENESS_MS = 3_600_000
const WINDOW_TYPES = ['sliding', 'tumbling', 'session'] as const

type Fail = (at: Span, message: string, hint?: string) => void
type SectionNamed<K, S = Section> = S extends { name: infer N } ? (K extends N ? S : never) : never
type CorrelationSections = { [K in (typeof CORRELATION_SECTIONS)[number]]?: SectionNamed<K> }

export type CheckedCorrelation = {
  groupBy: ValueIR[]
  window: WindowIR
  lateness: number
  when: ExprIR
  limits: LimitsIR
}

export function checkCorrelationSections(
  node: DetectionNode,
  sections: CorrelationSections,
  kind: string,
  registry: AggregateRegistry,
  fail: Fail,
  checkValue: (operand: OperandNode) => { ir: ValueIR; type: string },
  variables?: ReadonlyMap<string, VariableIR>,
): CheckedCorrelation {
  const known = kind !== '' && fieldNames(kind).length > 0
  const groupBy: ValueIR[] = []
  const seen = new Set<string>()
  for (const operand of sections.group?.fields ?? []) {
    const { ir: value, type } = checkValue(operand)
    if (type === 'bool')
      fail(
        operand.at,
        'grouping by a true/false value makes two groups',
        'group by a field such as src.ip',
      )
    const id = JSON.stringify(value)
    if (seen.has(id)) fail(operand.at, 'grouped by twice')
    seen.add(id)
    groupBy.push(value)
  }

  let window: WindowIR = { type: 'sliding', ms: 1 }
  const windowSection = sections.window
  if (!windowSection)
    fail(
      node.id.at,
      `correlation ${node.id.value} has no window`,
      'add e.g. window sliding 60s (or tumbling 1m, session 5m)',
    )
  else {
    const type = windowSection.kind.value
    if (!(WINDOW_TYPES as readonly string[]).includes(type)) {
      fail(windowSection.kind.at, `unknown window ${type}`, `one of ${WINDOW_TYPES.join(', ')}`)
    } else if (windowSection.length.value <= 0 || windowSection.length.value > MAX_WINDOW_MS) {
      fail(windowSection.length.at, 'a window lasts from 1 ms to 7 days')
    } else window = { type: type as WindowIR['type'], ms: windowSection.length.value }
  }

  const lateness = sections.lateness?.length.value ?? 0
  if (sections.lateness && lateness > MAX_LATENESS_MS)
    fail(
      sections.lateness.length.at,
      'lateness is at most 1h',
      'events later than that are counted as late',
    )

  let when: ExprIR = { op: 'const', value: false }
  if (!sections.when)
    fail(
      node.id.at,
      `correlation ${node.id.value} has no when`,
      'add e.g. when distinct(dst.port) > 100',
    )
  else if (known)
    when = checkWhen(
      sections.when.expr,
      kind,
      registry,
      (p) =>
        fail(
          { line: p.line, column: p.column, length: p.length ?? 1, offset: 0 },
          p.message,
          p.hint,
        ),
      variables,
    )

  const limits = { ...DEFAULT_LIMITS }
  for (const entry of sections.limits?.entries ?? []) {
    const name = entry.name.value as keyof LimitsIR
    if (!(name in DEFAULT_LIMITS)) {
      fail(
        entry.name.at,
        `unknown limit ${entry.name.value}`,
        `limits: ${Object.keys(DEFAULT_LIMITS).join(', ')}`,
      )
      continue
    }
    const value = entry.value.value
    if (!Number.isInteger(value) || value < 1 || value > MAX_LIMITS[name]) {
      fail(entry.value.at, `${name} must be a whole number from 1 to ${MAX_LIMITS[name]}`)
      continue
    }
    limits[name] = value
  }
  return { groupBy, window, lateness, when, limits }
}
