/**
 * `socbox events FILE` through Node (`node bin/socbox.mjs events`, the router): runs the sensor's
 * native program, `native/socbox-events`, with this terminal, and gives back its exit status.
 * `bin/socbox` runs that program straight, without starting Node first; the command line, the
 * NDJSON, progress and errors are the program's own (sensor-native/crates/socbox-cli).
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { constants } from 'node:os'
import { fileURLToPath } from 'node:url'

const programPath = fileURLToPath(new URL('../../native/socbox-events', import.meta.url))

/** The built default rule pack (`@socbox/rules/pack`), or undefined before it is built. */
function defaultPlan() {
  try {
    return createRequire(import.meta.url).resolve('@socbox/rules/pack')
  } catch {
    return undefined
  }
}

/** @type {import('./events.d.mts').main} */
export async function main(argv) {
  if (!existsSync(programPath)) {
    process.stderr.write(
      `socbox events: the sensor's native program is not built (${programPath} is missing); run 'npm install' at the repository root, which builds it with cargo\n`,
    )
    return 2
  }
  const plan = defaultPlan()
  const r = spawnSync(programPath, [...(plan ? ['--default-plan', plan] : []), ...argv], {
    stdio: 'inherit',
  })
  if (r.error) throw r.error
  // Killed by a signal: the status a shell gives (128 + its number).
  if (r.signal) return 128 + (constants.signals[r.signal] ?? 0)
  return r.status ?? 1
}
