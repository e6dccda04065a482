// Times decoding and evaluation inside workerd, the runtime the edge runs in (ARCHITECTURE.md
// sets the edge's decode + evaluate target there). bench-worker.ts is bundled with wrangler's
// esbuild and served by wrangler's workerd binary (the pair `wrangler dev` uses), on a local
// port; each run is one request. CPU time is the workerd process's own (every thread's
// schedstat, in ns) over the request, minus the same for an empty request; wall time is the
// isolate's clock around the work.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { RulePack } from '../../src/runtime/types.ts'
import type { Timing } from '../measure.ts'

export type WorkerdFigures = {
  version: string
  decode: Timing
  evaluate: Timing
  pipeline: Timing
  alerts: number
}

const ENTRY = new URL('./bench-worker.ts', import.meta.url).pathname
const ROOT = new URL('../../../', import.meta.url).pathname

/** wrangler's own esbuild and workerd, or a sentence saying why they cannot be found. */
function toolchain(): { esbuild: string; workerd: string } | string {
  try {
    const wrangler = createRequire(ROOT).resolve('wrangler/package.json')
    const inWrangler = createRequire(wrangler)
    return {
      esbuild: inWrangler.resolve('esbuild'),
      workerd: join(dirname(inWrangler.resolve('workerd/package.json')), 'bin/workerd'),
    }
  } catch (err) {
    return `wrangler's esbuild or workerd is not installed (npm install): ${String(err)}`
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Nanoseconds every thread of `pid` has spent on a CPU so far. */
function cpuNs(pid: number): number {
  let ns = 0
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0])
    } catch {
      // the thread ended between the listing and the read: its time is gone with it
    }
  }
  return ns
}

export async function timeInWorkerd(
  pack: RulePack,
  wire: Uint8Array[],
  runs: number,
): Promise<WorkerdFigures | string> {
  const tools = toolchain()
  if (typeof tools === 'string') return tools
  const { build } = (await import(tools.esbuild)) as typeof import('esbuild')
  const dir = mkdtempSync(join(tmpdir(), 'socbox-dsl-workerd-'))
  let workerd: ChildProcess | undefined
  try {
    const bundle = await build({
      entryPoints: [ENTRY],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      write: false,
    })
    writeFileSync(join(dir, 'bundle.js'), bundle.outputFiles[0]?.text ?? '')
    const port = await freePort()
    writeFileSync(
      join(dir, 'config.capnp'),
      `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "bench", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "bench") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "bench-worker.js", esModule = embed "bundle.js") ],
  compatibilityDate = "2025-09-01",
);
`,
    )
    const version = readFileSync(join(dirname(tools.workerd), '../package.json'), 'utf8')
    workerd = spawn(tools.workerd, ['serve', join(dir, 'config.capnp')], {
      stdio: ['ignore', 'ignore', 'inherit'],
    })
    const pid = workerd.pid
    if (pid === undefined) return 'workerd did not start'
    const base = `http://127.0.0.1:${port}`
    const post = async (path: string, body?: string | Uint8Array) => {
      const response = await fetch(`${base}${path}`, { method: 'POST', body: body ?? null })
      if (!response.ok)
        throw new Error(`workerd ${path}: ${response.status} ${await response.text()}`)
      return (await response.json()) as Record<string, number>
    }
    for (let tries = 0; ; tries++) {
      try {
        await post('/noop')
        break
      } catch (err) {
        if (tries > 100) throw err
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    await post('/pack', JSON.stringify(pack))
    const framed = new Uint8Array(wire.reduce((n, batch) => n + 4 + batch.length, 0))
    const view = new DataView(framed.buffer)
    let at = 0
    for (const batch of wire) {
      view.setUint32(at, batch.length, true)
      framed.set(batch, at + 4)
      at += 4 + batch.length
    }
    await post('/wire', framed)

    const once = async (mode: string) => {
      if (mode !== 'decode' && mode !== 'noop') await post('/fresh')
      const before = cpuNs(pid)
      const result = await post(`/${mode}`)
      return {
        cpuMs: (cpuNs(pid) - before) / 1e6,
        wallMs: result.ms ?? 0,
        alerts: result.alerts ?? 0,
      }
    }
    const best = async (mode: string) => {
      await once(mode) // warm-up: JIT
      let top = { cpuMs: Number.POSITIVE_INFINITY, wallMs: 0, alerts: 0 }
      for (let i = 0; i < runs; i++) {
        const run = await once(mode)
        if (run.cpuMs < top.cpuMs) top = run
      }
      return top
    }
    const idle = await best('noop')
    const minus = (t: { cpuMs: number; wallMs: number }): Timing => ({
      cpuMs: Math.max(0, t.cpuMs - idle.cpuMs),
      wallMs: t.wallMs,
    })
    const decode = await best('decode')
    const evaluate = await best('evaluate')
    const pipeline = await best('pipeline')
    return {
      version: (JSON.parse(version) as { version: string }).version,
      decode: minus(decode),
      evaluate: minus(evaluate),
      pipeline: minus(pipeline),
      alerts: evaluate.alerts,
    }
  } finally {
    workerd?.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}
