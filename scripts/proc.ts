/** Small process helpers for the repo's own scripts (start, test, e2e). */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'

export const ROOT = new URL('..', import.meta.url).pathname.replace(/\/$/, '')

/** Runs a command to completion; rejects with its output tail when it fails. */
export function run(cmd: string, args: string[], options: SpawnOptions & { quiet?: boolean } = {}) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, ...options, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout?.on('data', (d: Buffer) => {
      out += d
      if (!options.quiet) process.stdout.write(d)
    })
    child.stderr?.on('data', (d: Buffer) => {
      out += d
      if (!options.quiet) process.stderr.write(d)
    })
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${out.slice(-4000)}`)),
    )
  })
}

/**
 * A TCP port that was free a moment ago on loopback, for a server started a little later (wrangler
 * dev binds only after the stack is migrated and seeded, seconds on). It is taken from below the
 * kernel's ephemeral range: a port from inside it (what listening on port 0 gives) can be handed
 * to any outgoing connection in the meantime, and wrangler then fails with "Address already in
 * use" (seen in CI with e2e files running side by side).
 */
export async function freePort(): Promise<number> {
  const first = ephemeralRange()[0]
  if (first - LOWEST_PICKED >= 1000) {
    for (let i = 0; i < 50; i++) {
      const port = LOWEST_PICKED + Math.floor(Math.random() * (first - LOWEST_PICKED))
      if (await canListen(port)) return port
    }
  }
  return listenOnAnyPort()
}

/** Ports below this are left alone: well-known services, and the ones local tools default to (8787, 9229). */
const LOWEST_PICKED = 10_000

/** The ports the kernel picks from for outgoing connections and port 0 (Linux; else its default). */
export function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')
      .trim()
      .split(/\s+/)
      .map(Number)
    if (low !== undefined && high !== undefined && low > 0 && low <= high) return [low, high]
  } catch {
    // not Linux
  }
  return [32768, 60999]
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

function listenOnAnyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Polls `url` until it answers 2xx, the child dies, or the deadline passes. */
export async function waitForHttp(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  log: () => string,
) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}) before answering ${url}\n${log()}`)
    try {
      const res = await fetch(url)
      if (res.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s\n${log()}`)
}
