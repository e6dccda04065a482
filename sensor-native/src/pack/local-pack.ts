/**
 * Version and hash of the pack the agent starts with (the `plan` setting, or the built default
 * pack), so the first poll can say "I have this one" and heartbeats can name it. A bare match
 * plan file, or `none`, has neither.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { packTag } from '@socbox/dsl/runtime'

/** `tag`: what the edge's ETag names (hash and policy hash); the hash alone when absent. */
export type PackIdentity = { version: string; hash: string; tag?: string }

export function localPackIdentity(planPath: string | undefined): PackIdentity | undefined {
  if (planPath === 'none') return undefined
  let path = planPath
  try {
    path ??= createRequire(import.meta.url).resolve('@socbox/rules/pack')
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
    if (typeof parsed.version === 'string' && typeof parsed.hash === 'string') {
      const policyHash = typeof parsed.policyHash === 'string' ? parsed.policyHash : undefined
      const tag = packTag({ hash: parsed.hash, ...(policyHash ? { policyHash } : {}) })
      return { version: parsed.version, hash: parsed.hash, tag }
    }
  } catch {
    // No readable pack: the source reports that when it loads the plan.
  }
  return undefined
}
