/**
 * The bundled default rule pack, its default alert policy, and the engines that run it. Correlation rules keep state
 * between batches, and that state belongs to one sensor's event stream, so each SensorHub
 * (one per sensor) holds its own engine; nothing shares an engine across sensors.
 */
import {
  type CompiledPolicy,
  createEngine,
  defaultPolicyOf,
  type RulePack,
  type StatefulEngine,
} from '@socbox/dsl/runtime'
import bundledPack from '@socbox/rules/pack'

export const defaultPack = bundledPack as unknown as RulePack

/** The pack's policy "default" (rules/policies/default.soc), compiled once per isolate. */
export const defaultPolicy: CompiledPolicy | undefined = defaultPolicyOf(defaultPack)

/** A fresh engine for one sensor's stream (compiles the pack's rules to closures). */
export function newEngine(pack: RulePack = defaultPack): StatefulEngine {
  return createEngine(pack)
}
