/**
 * Agent version comparison for the "outdated" flag: dotted numeric versions (`0.3.1`), with
 * any pre-release or build suffix (`-rc.1`, `+abc`) ignored. Unparseable versions count as
 * outdated, so a sensor that reports garbage gets looked at.
 */
function parts(version: string): number[] | null {
  const core = version.split(/[-+]/)[0] ?? ''
  if (!/^\d+(\.\d+){0,3}$/.test(core)) return null
  return core.split('.').map(Number)
}

export function isOutdated(version: string | undefined, latest: string | undefined): boolean {
  if (!latest) return false
  const want = parts(latest)
  const have = version ? parts(version) : null
  if (!want) return false
  if (!have) return true
  for (let i = 0; i < Math.max(want.length, have.length); i++) {
    const a = have[i] ?? 0
    const b = want[i] ?? 0
    if (a !== b) return a < b
  }
  return false
}
