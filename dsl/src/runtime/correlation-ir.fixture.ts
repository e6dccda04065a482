// One correlation IR for the runtime's tests: a conn correlation grouped by src.ip with no
// conditions of its own, so each test states only what it is about.
import type { CorrelationIR } from './ir.ts'

export const correlationIR = (over: Partial<CorrelationIR> = {}): CorrelationIR => ({
  ir: 1,
  type: 'correlation',
  id: 'SB-T-0001',
  version: 1,
  status: 'test',
  class: 'recon.scan',
  severity: 'low',
  attack: [],
  references: [],
  title: { en: [], ja: [] },
  explain: { en: [], ja: [] },
  actions: { en: [], ja: [] },
  on: 'conn',
  where: { op: 'const', value: true },
  key: [],
  groupBy: [{ ref: 'src.ip' }],
  window: { type: 'sliding', ms: 10_000 },
  lateness: 0,
  aggregates: [{ fn: 'count' }],
  when: { op: 'const', value: false },
  limits: { groups: 100, distinct: 100, events: 100 },
  ...over,
})
