/**
 * The bundled default rule pack, compiled to closures once per isolate (compilation walks every
 * rule; doing it per request would waste CPU on each batch).
 */
import { createEngine, type Engine, type RulePack } from '@socbox/dsl/runtime'
import bundledPack from '@socbox/rules/pack'

export const defaultPack = bundledPack as unknown as RulePack

let engine: Engine | undefined

export function defaultEngine(): Engine {
  engine ??= createEngine(defaultPack)
  return engine
}
