/**
 * `npm run typecheck`: every TS project of the repo (each folder's tsconfig*.json, found rather
 * than listed so a new package cannot be forgotten), as many at once as there are cores; each
 * project's output is printed whole when it finishes.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './proc.ts'

const projects = spawnSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*tsconfig*.json'],
  { cwd: ROOT, encoding: 'utf8' },
)
  .stdout.split('\n')
  .filter((f) => f !== '' && !f.endsWith('tsconfig.base.json') && existsSync(join(ROOT, f)))

const tsc = join(ROOT, 'node_modules/.bin/tsc')
const check = (project: string) =>
  new Promise<boolean>((resolve) => {
    const started = performance.now()
    const child = spawn(tsc, ['-p', project, '--noEmit'], { cwd: ROOT })
    let out = ''
    child.stdout.on('data', (d: Buffer) => {
      out += d
    })
    child.stderr.on('data', (d: Buffer) => {
      out += d
    })
    child.on('close', (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      process.stdout.write(`${code === 0 ? 'ok    ' : 'FAILED'} ${project} (${seconds} s)\n${out}`)
      resolve(code === 0)
    })
  })

const queue = [...projects]
const results: boolean[] = []
await Promise.all(
  Array.from({ length: Math.min(availableParallelism(), queue.length) }, async () => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) results.push(await check(p))
  }),
)
process.exit(results.every(Boolean) ? 0 : 1)
