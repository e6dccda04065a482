/**
 * Events of one capture → alerts, as the edge would raise them: time-ordered events through one
 * engine (fresh per capture, so one capture's windows never mix with another's), open windows
 * flushed at the end of input, then the pack's default alert policy.
 */
import { createEngine, type RuleError, type RulePack, type SocEvent } from '@socbox/dsl/runtime'
import type { DedupedAlert } from './dedup-alerts.ts'
import { createEventOrder } from './event-order.ts'
import { policyAlerts } from './policy-alerts.ts'

/** Flows are reported when they end; 10 min of capture time covers idle timeouts of the sensor. */
export const REORDER_HORIZON_MS = 10 * 60_000

export type Detection = { alerts: DedupedAlert[]; errors: RuleError[]; events: number }

const CONTEXT = { tenant: 'offline', sensor: 'detect' }

export function runDetection(pack: RulePack, batches: Iterable<SocEvent[]>): Detection {
  const engine = createEngine(pack)
  const order = createEventOrder(REORDER_HORIZON_MS)
  const raised = []
  const errors = new Map<string, RuleError>()
  const keep = (found: RuleError[]) => {
    for (const error of found) {
      const id = `${error.rule}\u0000${error.message}`
      const known = errors.get(id)
      if (known) known.count += error.count
      else errors.set(id, { ...error })
    }
  }
  let events = 0
  const evaluate = (ready: SocEvent[]) => {
    if (ready.length === 0) return
    const result = engine.evaluate(ready, CONTEXT)
    raised.push(...result.alerts)
    keep(result.errors)
  }
  for (const batch of batches) {
    events += batch.length
    evaluate(order.push(batch))
  }
  evaluate(order.drain())
  const flushed = engine.flush(CONTEXT)
  raised.push(...flushed.alerts)
  keep(flushed.errors)
  return { alerts: policyAlerts(pack, raised), errors: [...errors.values()], events }
}
