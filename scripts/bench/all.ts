// `npm run bench`: every benchmark of the project, one after the other, so their figures come
// from one machine state. Each one prints its own table; this prints which ran and how long.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../proc.ts'

const scripts: Record<string, string> = JSON.parse(
  readFileSync(join(ROOT, 'package.json'), 'utf8'),
).scripts
const benches = Object.keys(scripts)
  .filter((name) => name.startsWith('bench:'))
  .sort()
const only = process.argv.slice(2)
const chosen = only.length ? benches.filter((b) => only.includes(b.slice(6))) : benches

const results: { name: string; ok: boolean; seconds: number }[] = []
for (const [i, name] of chosen.entries()) {
  process.stderr.write(`\n▶ [${i + 1}/${chosen.length}] npm run ${name}\n`)
  const started = performance.now()
  const run = spawnSync('npm', ['run', '--silent', name], { cwd: ROOT, stdio: 'inherit' })
  results.push({ name, ok: run.status === 0, seconds: (performance.now() - started) / 1000 })
}
console.log('\nbenchmarks')
for (const r of results)
  console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(16)} ${r.seconds.toFixed(1)} s`)
process.exitCode = results.every((r) => r.ok) ? 0 : 1
