// `socbox run` as a process: killed with SIGKILL mid-run and started again, stopped with
// SIGTERM, and given wrong settings. The edge is a real HTTP server in this test process.
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalEdge } from '../run/local-edge.ts'
import { eventKey, sampleEvents, writeEventsFile } from '../run/sample-events.ts'

const RUN = new URL('./run.ts', import.meta.url).pathname
const ENTRY = `import { main } from ${JSON.stringify(RUN)}; process.exitCode = await main(process.argv.slice(1))`

let edge: LocalEdge | undefined
const children: ChildProcess[] = []
afterEach(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  await edge?.down()
})

type Exit = { code: number | null; signal: string | null; stdout: string; stderr: string }

function runAgent(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', ENTRY, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (d: Buffer) => (stdout += d))
  child.stderr?.on('data', (d: Buffer) => (stderr += d))
  const exited = new Promise<Exit>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  )
  return { child, exited }
}

async function until(check: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

function setup(count: number) {
  const dir = mkdtempSync(join(tmpdir(), 'socbox-run-'))
  const events = sampleEvents(count)
  const source = join(dir, 'events.ndjson')
  writeEventsFile(source, events)
  const spool = join(dir, 'spool')
  return { events, source, spool }
}

describe('socbox run', () => {
  it('after SIGKILL mid-run and a restart, the edge holds every event exactly once', async () => {
    edge = await LocalEdge.start()
    const { events, source, spool } = setup(3000)
    const common = [source, '--spool-dir', spool, '--batch', '100', '--sync-interval', '20ms']
    const env = { SOCBOX_EDGE: edge.url, SOCBOX_TOKEN: 'sbs1.test.secret' }
    const first = runAgent([...common, '--speed', '1', '--batch-interval', '100ms'], env)
    await until(() => (edge?.batches.size ?? 0) >= 6, 'the first batches at the edge')
    first.child.kill('SIGKILL')
    expect((await first.exited).signal).toBe('SIGKILL')
    const before = edge.events().length
    expect(before).toBeGreaterThan(0)
    expect(before).toBeLessThan(events.length)

    const second = await runAgent(common, env).exited
    expect(second.code, second.stderr).toBe(0)
    const summary = JSON.parse(second.stdout) as { resumedAt: number; stopped: string }
    expect(summary.stopped).toBe('end of input')
    expect(summary.resumedAt).toBeGreaterThan(0)
    const keys = edge.events().map(eventKey)
    expect(keys.length - new Set(keys).size, 'events delivered twice').toBe(0)
    expect(new Set(keys)).toEqual(new Set(events.map(eventKey)))
  }, 60_000)

  it('on SIGTERM flushes what it holds, prints a summary and exits 0', async () => {
    edge = await LocalEdge.start()
    const { source, spool } = setup(3000)
    const run = runAgent(
      [
        source,
        '--spool-dir',
        spool,
        '--speed',
        '1',
        '--batch-interval',
        '10s',
        '--batch',
        '100000',
      ],
      {
        SOCBOX_EDGE: edge.url,
        SOCBOX_TOKEN: 't',
      },
    )
    let stderr = ''
    run.child.stderr?.on('data', (d: Buffer) => (stderr += d))
    // The spool's lock shows the agent is up (its signal handlers come before the spool).
    await until(() => existsSync(join(spool, 'lock')), 'the agent to start')
    await new Promise((r) => setTimeout(r, 500))
    // Nothing is sent before the stop: the batch is neither full nor old enough.
    expect(edge.requests).toBe(0)
    run.child.kill('SIGTERM')
    const exit = await run.exited
    expect(exit.code, exit.stderr).toBe(0)
    const summary = JSON.parse(exit.stdout) as {
      stopped: string
      spooled: { events: number }
      spool: { depth: number }
    }
    expect(summary.stopped).toBe('signal SIGTERM')
    expect(summary.spooled.events).toBeGreaterThan(0)
    expect(summary.spool.depth).toBe(0)
    expect(edge.events()).toHaveLength(summary.spooled.events)
    expect(stderr).toMatch(/SIGTERM: flushing/)
  }, 30_000)

  it('takes its settings from a config file named by SOCBOX_CONFIG, flags first', async () => {
    edge = await LocalEdge.start()
    const { events, source, spool } = setup(50)
    const config = join(spool, '..', 'agent.jsonc')
    writeFileSync(
      config,
      `{
  // as an operator would write it
  "edge": "${edge.url}",
  "token": "sbs1.test.secret",
  "spoolDir": "${spool}",
  "batchEvents": 1000 /* one batch per class */
}`,
    )
    const exit = await runAgent([source, '--batch', '10'], { SOCBOX_CONFIG: config }).exited
    expect(exit.code, exit.stderr).toBe(0)
    expect(edge.events()).toHaveLength(events.length)
    // 50 events in batches of 10 (the flag), each split into up to three classes
    expect(edge.batches.size).toBeGreaterThan(5)
  })

  it('names each wrong setting, where it came from and how to fix it', async () => {
    const exit = await runAgent(['eth0', '--batch', 'many'], {
      SOCBOX_EDGE: 'ftp://x',
      SOCBOX_TOKEN: '',
    }).exited
    expect(exit.code).toBe(2)
    expect(exit.stderr).toMatch(
      /edge \(from env SOCBOX_EDGE\): "ftp:\/\/x" is not an http\(s\) URL/,
    )
    expect(exit.stderr).toMatch(/batchEvents \(from flag --batch\): "many" is not a whole number/)
    expect(exit.stderr).toMatch(/token \(from nowhere\): is required/)
  })

  it('refuses to share a spool with a running agent', async () => {
    edge = await LocalEdge.start()
    const { source, spool } = setup(3000)
    const env = { SOCBOX_EDGE: edge.url, SOCBOX_TOKEN: 't' }
    // A slow replay (30 s at 0.1x), so the first agent is surely still running when stopped.
    const first = runAgent([source, '--spool-dir', spool, '--speed', '0.1'], env)
    await until(
      () => (edge?.requests ?? 0) > 0 || first.child.exitCode !== null,
      'the first agent at work',
    )
    const second = await runAgent([source, '--spool-dir', spool], env).exited
    expect(second.code).toBe(1)
    expect(second.stderr).toContain(`is in use by process ${first.child.pid}`)
    first.child.kill('SIGTERM')
    const firstExit = await first.exited
    expect(firstExit.code, `${firstExit.signal} ${firstExit.stderr}`).toBe(0)
  }, 30_000)

  it('names a missing interface, and refuses a filter for a file source', async () => {
    const { spool, source } = setup(1)
    const env = { SOCBOX_EDGE: 'http://127.0.0.1:9', SOCBOX_TOKEN: 't' }
    const exit = await runAgent(['sbxnope0', '--spool-dir', spool], env).exited
    expect(exit.code).toBe(1)
    // As root the name is looked up; without the privilege the socket is refused first.
    expect(exit.stderr).toMatch(/no network interface named "sbxnope0"|CAP_NET_RAW/)
    const filtered = await runAgent([source, '--filter', 'udp', '--spool-dir', spool], env).exited
    expect(filtered.code).toBe(2)
    expect(filtered.stderr).toMatch(/filter .*applies to live capture only/)
  })
})
