// The shipped rule pack for the benchmark: rules/dist/pack.json as `npm install` builds it (read
// as a file: dsl imports nothing of ours). Also the synthetic ≥ N-rule pack made of its rules
// (each copied under new ids until there are N), for when the pack has fewer rules than that.
import { existsSync, readFileSync } from 'node:fs'
import type { RuleIR } from '../src/runtime/ir.ts'
import type { RulePack } from '../src/runtime/types.ts'

const PACK = new URL('../../rules/dist/pack.json', import.meta.url)

export function shippedPack(): RulePack | undefined {
  if (!existsSync(PACK)) return undefined
  return JSON.parse(readFileSync(PACK, 'utf8')) as RulePack
}

/** At least `count` rules: the pack's own, then copies of them with new ids. */
export function packOfAtLeast(pack: RulePack, count: number): RulePack {
  const rules: RuleIR[] = [...pack.rules]
  for (let copy = 1; rules.length < count; copy++)
    for (const rule of pack.rules) {
      if (rules.length >= count) break
      rules.push({ ...rule, id: `${rule.id}-COPY${copy}` })
    }
  return { ...pack, rules }
}
