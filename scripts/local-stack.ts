/**
 * The whole local stack as `npm start` and the end-to-end test run it: D1 migrations applied
 * locally, demo data seeded, and `wrangler dev` (real workerd) listening on loopback.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, run, waitForHttp } from './proc.ts'

export type DemoCredentials = {
  users: { email: string; password: string; role: string; tenant?: string }[]
  sensor: { id: string; name: string; token: string }
  apiToken: string
}

export type Stack = {
  url: string
  credentials: DemoCredentials
  log(): string
  stop(): Promise<void>
}

const WRANGLER = join(ROOT, 'node_modules/.bin/wrangler')

export async function startStack(options: {
  port: number
  persistDir: string
  quiet?: boolean
  say?: (line: string) => void
}): Promise<Stack> {
  const say = options.say ?? (() => {})
  const quiet = options.quiet ?? true
  const persist = ['--persist-to', options.persistDir]
  mkdirSync(options.persistDir, { recursive: true })

  // Local secrets (.dev.vars, gitignored): created once with fresh random values, then kept.
  await run(process.execPath, ['edge/scripts/dev-vars.ts'], { quiet })

  say('applying D1 migrations (local)')
  await run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', ...persist], {
    quiet,
    env: wranglerEnv(),
  })

  say('seeding demo partner, customer, users and sensor')
  const seedSql = join(options.persistDir, 'seed.sql')
  const credentialsFile = join(options.persistDir, 'demo-credentials.json')
  await run(
    process.execPath,
    ['edge/scripts/seed.ts', '--out', seedSql, '--credentials', credentialsFile],
    { quiet },
  )
  await run(WRANGLER, ['d1', 'execute', 'DB', '--local', ...persist, '--file', seedSql], {
    quiet,
    env: wranglerEnv(),
  })
  const credentials = JSON.parse(readFileSync(credentialsFile, 'utf8')) as DemoCredentials

  say(`starting wrangler dev on 127.0.0.1:${options.port}`)
  const edge = await startEdgeServer({ port: options.port, persistDir: options.persistDir, quiet })
  return { ...edge, credentials }
}

export type EdgeServer = { url: string; log(): string; stop(): Promise<void> }

/**
 * `wrangler dev` alone on a port and persist dir that are already migrated and seeded: the last
 * step of startStack, and on its own what an edge restart looks like.
 */
export async function startEdgeServer(options: {
  port: number
  persistDir: string
  quiet?: boolean
  timeoutMs?: number
}): Promise<EdgeServer> {
  let output = ''
  const child: ChildProcess = spawn(
    WRANGLER,
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--persist-to',
      options.persistDir,
      '--show-interactive-dev-session=false',
    ],
    { cwd: ROOT, env: wranglerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000)
    if (options.quiet === false) process.stderr.write(d)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const url = `http://127.0.0.1:${options.port}`
  const stop = () => stopGroup(child)
  try {
    await waitForHttp(`${url}/healthz`, child, options.timeoutMs ?? 90_000, () => output)
  } catch (err) {
    await stop()
    throw err
  }
  return { url, log: () => output, stop }
}

/** wrangler dev starts workerd as its own child: stop the whole process group. */
function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    return Promise.resolve()
  }
  return new Promise((resolve) => {
    const pid = child.pid as number
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-pid, signal)
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    kill('SIGTERM')
  })
}

/** No telemetry prompts or update checks: the machine has no internet beyond the registries. */
export function wranglerEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: 'false',
    WRANGLER_SEND_ERROR_REPORTS: 'false',
    CI: process.env.CI ?? 'true',
  }
}
