import type { AggregateIR } from './ir.ts'

/** How an aggregate is written in a rule: `count`, `distinct(dst.port)`, `interval_cv`. */
export function aggregateLabel(aggregate: AggregateIR): string {
  return 'field' in aggregate ? `${aggregate.fn}(${aggregate.field})` : aggregate.fn
}
