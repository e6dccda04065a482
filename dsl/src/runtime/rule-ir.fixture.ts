// Rule IR for the runtime's tests: one of each type with the metadata filled in and no
// conditions of its own, so each test states only what it is about.
import type { CorrelationIR, DetectionIR, ExprIR, SequenceIR, StepIR } from './ir.ts'

const head = {
  ir: 1,
  id: 'SB-T-0001',
  version: 1,
  status: 'test',
  attack: [],
  references: [],
  title: { en: [], ja: [] },
  explain: { en: [], ja: [] },
  actions: { en: [], ja: [] },
  where: { op: 'const', value: true },
  key: [],
} as const satisfies Partial<DetectionIR>

export const detectionIR = (over: Partial<DetectionIR> = {}): DetectionIR => ({
  ...head,
  type: 'detection',
  class: 'info.test',
  severity: 'low',
  on: 'dns',
  ...over,
})

/** A conn correlation grouped by src.ip that never fires unless `when` is given. */
export const correlationIR = (over: Partial<CorrelationIR> = {}): CorrelationIR => ({
  ...head,
  type: 'correlation',
  class: 'recon.scan',
  severity: 'low',
  on: 'conn',
  groupBy: [{ ref: 'src.ip' }],
  window: { type: 'sliding', ms: 10_000 },
  lateness: 0,
  aggregates: [{ fn: 'count' }],
  when: { op: 'const', value: false },
  limits: { groups: 100, distinct: 100, events: 100 },
  ...over,
})

/** A download sequence with no steps unless given. */
export const sequenceIR = (over: Partial<SequenceIR> = {}): SequenceIR => ({
  ...head,
  type: 'sequence',
  class: 'download.malware',
  severity: 'high',
  on: 'http',
  within: 60_000,
  lateness: 0,
  steps: [],
  until: null,
  limits: { groups: 100, distinct: 1, events: 100 },
  ...over,
})

/** A sequence step keyed by src.ip. */
export const stepIR = (label: string, on: string, where: ExprIR, absent = false): StepIR => ({
  label,
  on,
  where,
  key: [{ ref: 'src.ip' }],
  absent,
})
