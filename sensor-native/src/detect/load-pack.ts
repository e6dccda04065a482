/** The compiled rule pack to run: the default pack of @socbox/rules, or a file given by --pack. */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import type { RulePack } from '@socbox/dsl/runtime'

export type LoadedPack = { pack: RulePack; from: string } | { error: string }

export function loadPack(path: string | undefined): LoadedPack {
  let from = path
  if (from === undefined) {
    try {
      from = createRequire(import.meta.url).resolve('@socbox/rules/pack')
    } catch {
      return {
        error: 'the default rule pack is not built: run npm run build -w @socbox/rules',
      }
    }
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(from, 'utf8'))
  } catch (err) {
    return { error: `cannot read the rule pack ${from}: ${(err as Error).message}` }
  }
  const pack = parsed as Partial<RulePack> | null
  if (pack?.v !== 1 || !Array.isArray(pack.rules) || pack.plan?.v !== 1) {
    return { error: `${from} is not a compiled rule pack v1 (no "v": 1, rules and plan)` }
  }
  return { pack: pack as RulePack, from }
}
