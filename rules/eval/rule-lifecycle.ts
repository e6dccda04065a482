// Rule lifecycle rules (issue 6 item 7), checked against a committed manifest of every rule's
// id, version and fingerprint: ids are unique, any change to what a rule does or says comes
// with a higher version, versions never go down, and rules are deprecated with a reason rather
// than deleted (alerts already raised keep pointing at them). The fingerprint is of the rule's
// source as the formatter prints it (without comments, tests and version: ruleSources in
// @socbox/dsl), not of compiler output, so a compiler that lowers the same rule differently
// demands no version bumps.
import { createHash } from 'node:crypto'
import type { RuleIR } from '@socbox/dsl/runtime'

export type ManifestEntry = {
  version: number
  hash: string
  status: string
  file: string
  /** Why a deprecated rule was retired (required once its status is deprecated). */
  reason?: string
}

export type RuleManifest = Record<string, ManifestEntry>

/** A rule of the pack: its IR (id, version, status), file, and canonical source. */
export type CurrentRule = { ir: RuleIR; file: string; source: string }

/**
 * What the rule does and says, without its version: its canonical source, so reformatting a
 * file, editing comments or tests, or a new compiler changes nothing, while any change to
 * logic, text or metadata does.
 */
export function ruleFingerprint(source: string): string {
  return createHash('sha256').update(source).digest('hex')
}

export function manifestOf(rules: readonly CurrentRule[], previous: RuleManifest): RuleManifest {
  const manifest: RuleManifest = {}
  for (const { ir, file, source } of [...rules].sort((a, b) => (a.ir.id < b.ir.id ? -1 : 1))) {
    const entry: ManifestEntry = {
      version: ir.version,
      hash: ruleFingerprint(source),
      status: ir.status,
      file,
    }
    const reason = previous[ir.id]?.reason
    if (reason !== undefined) entry.reason = reason
    manifest[ir.id] = entry
  }
  // Deleted rules stay in the manifest so the check keeps reporting them.
  for (const [id, entry] of Object.entries(previous)) if (!(id in manifest)) manifest[id] = entry
  return manifest
}

export function checkLifecycle(rules: readonly CurrentRule[], manifest: RuleManifest): string[] {
  const problems: string[] = []
  const seen = new Map<string, string>()
  for (const { ir, file } of rules) {
    const first = seen.get(ir.id)
    if (first !== undefined) problems.push(`${ir.id} is defined twice (${first} and ${file})`)
    seen.set(ir.id, file)
  }
  let stale = false
  for (const { ir, file, source } of rules) {
    const known = manifest[ir.id]
    if (known === undefined) {
      stale = true
      continue
    }
    const hash = ruleFingerprint(source)
    if (ir.version < known.version)
      problems.push(`${ir.id} (${file}): version went down from ${known.version} to ${ir.version}`)
    else if (ir.version === known.version && hash !== known.hash)
      problems.push(
        `${ir.id} (${file}): changed without a version bump (still version ${ir.version}); raise it to ${ir.version + 1}`,
      )
    else if (hash !== known.hash || ir.version !== known.version || ir.status !== known.status)
      stale = true
    if (ir.status === 'deprecated' && !known.reason?.trim())
      problems.push(
        `${ir.id} (${file}) is deprecated without a reason: add "reason" to its entry in rule-manifest.json`,
      )
  }
  for (const [id, entry] of Object.entries(manifest)) {
    if (!seen.has(id))
      problems.push(
        `${id} (was ${entry.file}) was deleted: keep the rule with status deprecated and give a reason instead`,
      )
  }
  if (stale)
    problems.push(
      'rules/eval/rule-manifest.json is out of date: run npx node rules/eval/rule-manifest.ts --update and commit it with the rules',
    )
  return problems
}
