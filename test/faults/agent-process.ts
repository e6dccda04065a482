/** `socbox run` as a user starts it: the real CLI in its own process. */
import { type ChildProcess, spawn } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../../scripts/proc.ts'

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
