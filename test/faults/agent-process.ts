/** `socbox run` as a user starts it: the real CLI in its own process. */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from '../../scripts/proc.ts'
import { until } from './poll.ts'

export type AgentExit = {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

export type AgentSummary = {
  boot: string
  resumedAt: number
  stopped: string
  spooled: { records: number; events: number }
  sent: { batches: number; tombstones: number; accepted: number; alerts: number }
  spool: { depth: number }
  error?: string
}

export type AgentProcess = {
  child: ChildProcess
  exited: Promise<AgentExit>
  stderr(): string
}

export function startAgent(args: string[]): AgentProcess {
  const child = spawn(process.execPath, [join(ROOT, 'bin/socbox.ts'), 'run', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d))
  child.stderr?.on('data', (d: Buffer) => (stderr += d))
  const exited = new Promise<AgentExit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { child, exited, stderr: () => stderr }
}

/** The JSON summary `socbox run` prints on stdout when it stops. */
export function summaryOf(exit: AgentExit): AgentSummary {
  const last = exit.stdout.trim().split('\n').at(-1) ?? ''
  try {
    return JSON.parse(last) as AgentSummary
  } catch {
    throw new Error(
      `socbox run printed no summary (exit ${exit.code}):\n${exit.stderr.slice(-3000)}`,
    )
  }
}

/**
 * Flags for a run that falls behind on purpose: a small spool with small segments and one request
 * at a time, so a kill finds both a half-read source and spooled batches the edge has not seen.
 * No heartbeats: a kill that waits for the sensor's lastSeenAt must be waiting for a batch.
 */
export function backlogArgs(source: string, edge: string, token: string, spool: string): string[] {
  return [
    source,
    '--edge',
    edge,
    '--token',
    token,
    '--spool-dir',
    spool,
    '--spool-max',
    '64KiB',
    '--segment-size',
    '8KiB',
    '--batch',
    '100',
    '--window',
    '1',
    '--heartbeat-interval',
    '0',
  ]
}

/**
 * Starts the agent, kills it with SIGKILL once `delivered()` says the edge has a first batch, and
 * returns the position the killed run committed to its spool.
 */
export async function killAfterFirstBatch<Commit>(
  args: string[],
  delivered: () => Promise<unknown>,
  spool: string,
): Promise<Commit> {
  const first = startAgent(args)
  try {
    await until(delivered, 'a first batch at the edge')
  } finally {
    first.child.kill('SIGKILL')
  }
  const exit = await first.exited
  if (exit.signal !== 'SIGKILL')
    throw new Error(`the agent ended before the kill (exit ${exit.code}):\n${exit.stderr}`)
  return JSON.parse(readFileSync(join(spool, 'commit.json'), 'utf8')) as Commit
}
