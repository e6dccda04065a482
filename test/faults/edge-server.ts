/**
 * `wrangler dev` alone, on a port and persist dir a stack already migrated and seeded: what an
 * edge restart looks like. (startStack would seed again, which issues a new sensor credential
 * and so would lock out the agent whose outage we are testing.)
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { wranglerEnv } from '../../scripts/local-stack.ts'
import { ROOT, waitForHttp } from '../../scripts/proc.ts'

export type EdgeServer = { stop(): Promise<void> }

export async function startEdge(port: number, persistDir: string): Promise<EdgeServer> {
  const child = spawn(
    join(ROOT, 'node_modules/.bin/wrangler'),
    [
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--persist-to',
      persistDir,
      '--show-interactive-dev-session=false',
    ],
    // Its own process group: wrangler starts workerd as a child, and both must go on stop.
    { cwd: ROOT, env: wranglerEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  let output = ''
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const pid = child.pid as number
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-pid, s)
      } catch {
        // already gone
      }
    }
    signal('SIGTERM')
    const timer = setTimeout(() => signal('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, child, 120_000, () => output)
  } catch (err) {
    await stop()
    throw err
  }
  return { stop }
}
