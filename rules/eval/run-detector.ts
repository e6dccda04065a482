// Runs `socbox detect` as users run it, once over all captures, and groups its NDJSON alerts by
// capture. A process, not an import: rules must not depend on the sensor package.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { AlertSummary } from './score-cases.ts'

const DETECT = fileURLToPath(new URL('../../sensor-native/src/cli/detect.ts', import.meta.url))

export type DetectorRun =
  | { alerts: Map<string, AlertSummary[]>; stderr: string }
  | { error: string }

export function runDetector(pack: string, captures: readonly string[]): DetectorRun {
  const args = [...captures, '--format', 'ndjson', '--pack', pack]
  const run = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { main } from ${JSON.stringify(DETECT)}; process.exitCode = await main(${JSON.stringify(args)})`,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  )
  if (run.status !== 0) return { error: `socbox detect exited ${run.status}: ${run.stderr}` }
  const alerts = new Map<string, AlertSummary[]>()
  for (const line of run.stdout.split('\n')) {
    if (!line) continue
    const a = JSON.parse(line) as AlertSummary & { capture: string }
    const list = alerts.get(a.capture) ?? []
    list.push({ rule: a.rule, class: a.class, severity: a.severity, title: a.title })
    alerts.set(a.capture, list)
  }
  return { alerts, stderr: run.stderr }
}
