/**
 * `npm test`: every check the project has, stage by stage, each timed. All stages run even when
 * one fails, so one CI run shows every problem; the exit status is non-zero if any failed.
 */

import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from './proc.ts'

type Stage = { name: string; steps: [string, string[], string?][] }

const bin = (name: string) => join(ROOT, 'node_modules/.bin', name)
const rust = join(ROOT, 'sensor-native')

const stages: Stage[] = [
  {
    name: 'lint and format',
    steps: [
      [bin('biome'), ['check', '.']],
      ['cargo', ['fmt', '--all', '--check'], rust],
      [
        'cargo',
        ['clippy', '--release', '--workspace', '--all-targets', '--', '-D', 'warnings'],
        rust,
      ],
    ],
  },
  { name: 'typecheck', steps: [[process.execPath, ['scripts/typecheck.ts']]] },
  { name: 'rust tests', steps: [['cargo', ['test', '--release', '--workspace'], rust]] },
  { name: 'ts unit tests', steps: [[bin('vitest'), ['run', '--project', 'unit']]] },
  {
    name: 'worker tests (workerd)',
    steps: [[bin('vitest'), ['run', '--config', 'edge/vitest.config.ts']]],
  },
  { name: 'end to end (wrangler dev)', steps: [[bin('vitest'), ['run', '--project', 'e2e']]] },
]

const only = process.argv.slice(2)
const results: { name: string; ok: boolean; seconds: number }[] = []
for (const stage of stages) {
  if (only.length > 0 && !only.some((o) => stage.name.startsWith(o))) continue
  process.stdout.write(`\n=== ${stage.name}\n`)
  const started = performance.now()
  let ok = true
  for (const [cmd, args, cwd] of stage.steps) {
    process.stdout.write(`$ ${[cmd.replace(`${ROOT}/`, ''), ...args].join(' ')}\n`)
    const r = spawnSync(cmd, args, {
      cwd: cwd ?? ROOT,
      stdio: 'inherit',
      env: { ...process.env, FORCE_COLOR: '0' },
    })
    if (r.status !== 0) {
      ok = false
      process.stdout.write(`--- failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})\n`)
    }
  }
  const seconds = (performance.now() - started) / 1000
  results.push({ name: stage.name, ok, seconds })
  process.stdout.write(`=== ${stage.name}: ${ok ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s\n`)
}

process.stdout.write('\nstage                          result   seconds\n')
for (const r of results) {
  process.stdout.write(
    `${r.name.padEnd(30)} ${(r.ok ? 'ok' : 'FAILED').padEnd(8)} ${r.seconds.toFixed(1).padStart(7)}\n`,
  )
}
const failed = results.filter((r) => !r.ok).length
process.stdout.write(`stages: ${results.length - failed} passed, ${failed} failed\n`)
process.exit(failed === 0 ? 0 : 1)
