// Suricata rules often come in pairs: a `flowbits:set,X; flowbits:noalert` rule marks a flow
// (a JA3 hash, a first request) and a `flowbits:isset,X` rule alerts on a later packet of it.
// Neither alone is the detection. A one-step chain becomes one signature: the dependent rule's
// own condition plus `requires` (one of the setters' conditions matched earlier in the flow).
// Setters that only exist for the chain (noalert) are then "folded" into their dependents.
import type { ContentSignature, PriorCondition } from './content-signature.ts'
import type { TranslatedRule } from './rule-translate.ts'

type Body = Omit<ContentSignature, 'id' | 'set' | 'licence'>

export type ChainResolution =
  | { kind: 'signature'; signature: Body }
  | { kind: 'untranslatable'; reason: string }

function prior(condition: Body): PriorCondition {
  const out: PriorCondition = {
    sid: condition.sid,
    fields: condition.fields,
    patterns: condition.patterns,
  }
  if (condition.regex) out.regex = condition.regex
  if (condition.sizes) out.sizes = condition.sizes
  if (condition.direction) out.direction = condition.direction
  return out
}

/** Index of setters by flowbit name over the rules of one file. */
export function settersByBit(rules: readonly TranslatedRule[]): Map<string, TranslatedRule[]> {
  const setters = new Map<string, TranslatedRule[]>()
  for (const rule of rules) {
    for (const bit of rule.state.sets) {
      const list = setters.get(bit) ?? []
      list.push(rule)
      setters.set(bit, list)
    }
  }
  return setters
}

/** Resolves one dependent rule (`flowbits:isset`) against the setters of its file. */
export function resolveChain(
  rule: TranslatedRule,
  setters: ReadonlyMap<string, TranslatedRule[]>,
): ChainResolution {
  const { state, condition } = rule
  if (state.isnotset.length > 0)
    return { kind: 'untranslatable', reason: 'depends on state (flowbits isnotset)' }
  if (state.noalert)
    return { kind: 'untranslatable', reason: 'flowbits chain longer than one step' }
  if (!condition)
    return {
      kind: 'untranslatable',
      reason: 'depends on flowbits, and its own condition is not translatable',
    }
  const requires: NonNullable<Body['requires']> = []
  for (const bit of state.isset) {
    const bitSetters = setters.get(bit) ?? []
    if (bitSetters.length === 0)
      return { kind: 'untranslatable', reason: 'flowbit set by no rule of the same file' }
    const anyOf: PriorCondition[] = []
    for (const setter of bitSetters) {
      if (setter.state.isset.length > 0 || setter.state.isnotset.length > 0) {
        return { kind: 'untranslatable', reason: 'flowbits chain longer than one step' }
      }
      if (!setter.condition)
        return { kind: 'untranslatable', reason: 'a rule setting its flowbit is not translatable' }
      if (setter.condition.proto !== condition.proto) {
        return { kind: 'untranslatable', reason: 'flowbits chain across protocols' }
      }
      anyOf.push(prior(setter.condition))
    }
    requires.push({ flowbit: bit, anyOf })
  }
  return { kind: 'signature', signature: { ...condition, requires } }
}
