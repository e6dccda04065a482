// The sections of a sequence: within, lateness, limits, and its steps (step, absent, until),
// each typed against its own event kind and joined by `by` values of the same count.
import { EVENT_KINDS } from '../../schema/event-schema.ts'
import type { Problem } from '../diagnostics/diagnostic.ts'
import type { IntelListSource } from '../pack/intel-list.ts'
import type { LimitsIR, StepIR, VariableIR } from '../runtime/ir.ts'
import type { DetectionNode, Section, Span, StepNode } from '../syntax/ast.ts'
import { DEFAULT_LIMITS, MAX_LIMITS } from './check-correlation.ts'
import { checkExpression, checkValue } from './check-expression.ts'
import { closestName } from './closest-name.ts'

export const SEQUENCE_SECTIONS = ['within', 'step', 'until'] as const
const MAX_WITHIN_MS = 7 * 86_400_000
const MAX_LATENESS_MS = 3_600_000
/** Partial matches per key are bounded by the steps; `groups` bounds the keys. */
const SEQUENCE_LIMITS = ['groups', 'events'] as const

type Fail = (at: Span, message: string, hint?: string) => void

export type CheckedSequence = {
  within: number
  lateness: number
  steps: StepIR[]
  until: StepIR | null
  limits: LimitsIR
  /** Kind of every step label, for `{label.field}` in text; and the last step's kind. */
  labels: Map<string, string>
  lastKind: string
}

export function checkSequenceSections(
  node: DetectionNode,
  sections: Section[],
  lists: IntelListSource | undefined,
  usedLists: Set<string>,
  fail: Fail,
  variables?: ReadonlyMap<string, VariableIR>,
): CheckedSequence {
  const within = sections.find((s) => s.name === 'within')
  const lateness = sections.find((s) => s.name === 'lateness')
  const limitsSection = sections.find((s) => s.name === 'limits')
  const stepNodes = sections.flatMap((s) => (s.name === 'step' ? [s.step] : []))
  const untilNodes = sections.flatMap((s) => (s.name === 'until' ? [s.step] : []))

  let withinMs = 1
  if (within?.name !== 'within')
    fail(node.id.at, `sequence ${node.id.value} has no within`, 'add e.g. within 10m')
  else if (within.length.value <= 0 || within.length.value > MAX_WITHIN_MS)
    fail(within.length.at, 'within lasts from 1 ms to 7 days')
  else withinMs = within.length.value
  const latenessMs = lateness?.name === 'lateness' ? lateness.length.value : 0
  if (lateness?.name === 'lateness' && latenessMs > MAX_LATENESS_MS)
    fail(lateness.length.at, 'lateness is at most 1h')

  const labels = new Map<string, string>()
  let keyCount: number | undefined
  const checkStep = (step: StepNode, label: string): StepIR | undefined => {
    const kind = step.kind.value
    if (EVENT_KINDS[kind] === undefined) {
      const near = closestName(kind, Object.keys(EVENT_KINDS))
      fail(step.kind.at, `unknown event kind ${kind}`, near ? `did you mean ${near}?` : undefined)
      return undefined
    }
    const context = {
      kind,
      lists,
      usedLists,
      ...(variables ? { variables } : {}),
      report: (p: Problem) => fail({ ...p, offset: 0, length: p.length ?? 1 }, p.message, p.hint),
    }
    const where = step.where
      ? checkExpression(step.where, context)
      : ({ op: 'const', value: true } as const)
    if (step.by.length === 0)
      fail(
        step.at,
        'every step needs by: the values that join it to the other steps',
        'e.g. by src.ip',
      )
    keyCount ??= step.by.length
    if (step.by.length > 0 && step.by.length !== keyCount)
      fail(step.at, `this step joins by ${step.by.length} value(s), the first step by ${keyCount}`)
    const key = step.by.map((operand) => checkValue(operand, context).ir)
    return { label, on: kind, where, key, absent: step.absent }
  }

  const steps: StepIR[] = []
  for (const step of stepNodes) {
    const label = step.label?.value ?? ''
    if (labels.has(label)) fail(step.label?.at ?? step.at, `step ${label} is named twice`)
    const checked = checkStep(step, label)
    if (checked) {
      labels.set(label, checked.on)
      steps.push(checked)
    }
  }
  const positive = steps.filter((s) => !s.absent)
  if (stepNodes.length > 0 && positive.length < 2)
    fail(node.id.at, 'a sequence needs at least two steps', 'use a detection for one event')
  if (stepNodes.length === 0)
    fail(
      node.id.at,
      `sequence ${node.id.value} has no steps`,
      'add step a on … by …, step b on … by …',
    )
  if (stepNodes[0]?.absent || stepNodes.at(-1)?.absent) {
    fail(
      (stepNodes[0]?.absent ? stepNodes[0] : stepNodes.at(-1))?.at ?? node.id.at,
      'an absent step must sit between two steps',
      'it cancels a partial match before the step after it',
    )
  }
  if (untilNodes.length > 1) fail(untilNodes[1]?.at ?? node.id.at, 'until is given twice')
  const untilNode = untilNodes[0]
  const until = untilNode ? (checkStep(untilNode, '') ?? null) : null

  const limits = { ...DEFAULT_LIMITS }
  for (const entry of limitsSection?.name === 'limits' ? limitsSection.entries : []) {
    const name = entry.name.value as (typeof SEQUENCE_LIMITS)[number]
    if (!(SEQUENCE_LIMITS as readonly string[]).includes(name)) {
      fail(
        entry.name.at,
        `unknown limit ${entry.name.value}`,
        `limits of a sequence: ${SEQUENCE_LIMITS.join(', ')}`,
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
  return {
    within: withinMs,
    lateness: latenessMs,
    steps,
    until,
    limits,
    labels,
    lastKind: positive.at(-1)?.on ?? '',
  }
}
