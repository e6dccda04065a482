#!/usr/bin/env node
/**
 * `npm run pgo:train`: makes the PGO profile release builds use (`sensor-native/pgo/`). It builds
 * the bench example, the `socbox events` program and the addon instrumented, runs them over every
 * shared capture (the example: wire batches, NDJSON, NDJSON sharded; the program: one thread and
 * two; the addon, from Node: wire batches and NDJSON; the default rule pack) and over 50,000
 * synthetic flows of another seed than the benchmark's, and merges what the runs counted. Each of
 * the three builds names the sensor's functions apart (their crates resolve other features, and
 * LLVM finds counts by symbol name), so each is trained on its own. The benchmark's own captures are not used.
 * Needs llvm-profdata of rustc's LLVM (`apt-get install llvm-22` for LLVM 22). Commit the two
 * files it writes; retrain after large changes to the sensor (functions changed since have no
 * profile) or a new compiler.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { dataRoot, missingData, repoRoot } from './paths.ts'
import { hostOf, llvmMajorOf, type ProfileInfo } from './pgo-profile.ts'

const sensorRoot = join(repoRoot, 'sensor-native')
const work = join(sensorRoot, 'target/pgo-train')
const raw = join(work, 'raw')
const pack = join(repoRoot, 'rules/dist/pack.json')
const FLOWS = 50_000
const FLOWS_SEED = 7
const say = (line: string) => process.stderr.write(`[pgo:train] ${line}\n`)

function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  cwd = repoRoot,
  stdout: 'pipe' | 'ignore' = 'pipe',
) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    maxBuffer: 1 << 26,
    stdio: ['ignore', stdout, 'pipe'],
  })
  if (r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr?.slice(-2000)}`,
    )
  }
  return r.stdout
}

/** llvm-profdata of LLVM `major`, or why there is none. */
function profdataTool(major: number): string | Error {
  for (const cmd of [
    `llvm-profdata-${major}`,
    `/usr/lib/llvm-${major}/bin/llvm-profdata`,
    'llvm-profdata',
  ]) {
    const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' })
    if (r.status === 0 && new RegExp(`LLVM version ${major}\\.`).test(r.stdout)) return cmd
  }
  return new Error(`no llvm-profdata of LLVM ${major} (rustc's): apt-get install llvm-${major}`)
}

function captures(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(pcap|pcapng|cap)$/i.test(f))
    .sort()
    .map((f) => join(dir, f))
}

function main(): number {
  const missing = missingData()
  if (missing) return fail(missing)
  const rustcVersion = run('rustc', ['-vV'])
  const major = llvmMajorOf(rustcVersion)
  if (major === undefined) return fail('rustc -vV names no LLVM version')
  const tool = profdataTool(major)
  if (tool instanceof Error) return fail(tool.message)
  const host = hostOf(rustcVersion)

  say('building the bench example, the socbox events program and the addon instrumented')
  for (const what of [
    ['--example', 'bench'],
    ['--package', 'socbox-cli'],
    ['--package', 'socbox-node'],
  ]) {
    run(
      'cargo',
      // The target the release builds name (see PgoBuild.target): the same symbol names.
      [
        ...['build', '--release', '--quiet', ...what],
        ...['--target-dir', join(work, 'build'), '--target', host],
      ],
      { RUSTFLAGS: `-Cprofile-generate=${raw}` },
      sensorRoot,
    )
  }
  // Emptied after the build, whose build scripts (instrumented too) count into it, and so that
  // an earlier training's counts are not merged in; the instrumented build is reused.
  rmSync(raw, { recursive: true, force: true })
  mkdirSync(raw, { recursive: true })
  const bench = join(work, 'build', host, 'release/examples/bench')
  const program = join(work, 'build', host, 'release/socbox-events')
  // Node loads an addon by its name ending in .node.
  const addon = join(work, 'socbox-train.node')
  copyFileSync(join(work, 'build', host, 'release/libsocbox_node.so'), addon)
  const flows = join(work, `flows-${FLOWS}.pcap`)
  run(process.execPath, [
    join(sensorRoot, 'tools/gen-mixed.ts'),
    ...['--out', flows, '--flows', String(FLOWS), '--seed', String(FLOWS_SEED)],
  ])

  const files = [...captures(dataRoot), flows]
  const started = performance.now()
  let last = started
  files.forEach((file, i) => {
    // Wire batches (the addon's FileSource), NDJSON (one pipeline) and sharded NDJSON.
    run(bench, ['capture', file, '--plan', pack])
    for (const mode of ['ndjson', 'sharded']) {
      run(bench, ['capture', file, '--plan', pack, '--mode', mode, '--out', '/dev/null'])
    }
    for (const threads of ['1', '2']) {
      run(program, [file, '--plan', pack, '--threads', threads], {}, repoRoot, 'ignore')
    }
    run(process.execPath, ['--input-type=module', '-e', ADDON_RUNS, addon, file, pack])
    if (performance.now() - last > 15_000 || i === files.length - 1) {
      last = performance.now()
      const s = (last - started) / 1000
      say(`${i + 1}/${files.length} captures run in ${s.toFixed(0)} s`)
    }
  })

  const merged = join(work, 'socbox.profdata')
  run(tool, ['merge', '--sparse', '-o', merged, raw])
  const out = join(sensorRoot, 'pgo')
  mkdirSync(out, { recursive: true })
  const packed = gzipSync(readFileSync(merged), { level: 9 })
  writeFileSync(join(out, 'socbox.profdata.gz'), packed)
  const info: ProfileInfo = {
    llvmMajor: major,
    rustc: run('rustc', ['-V']).trim(),
    commit: run('git', ['rev-parse', 'HEAD']).trim(),
    trainedAt: new Date().toISOString(),
    inputs: `${files.length - 1} shared captures and ${FLOWS} synthetic flows (seed ${FLOWS_SEED}), default pack`,
  }
  writeFileSync(join(out, 'profile.json'), `${JSON.stringify(info, null, 2)}\n`)
  say(
    `wrote sensor-native/pgo/socbox.profdata.gz (${(packed.length / 1e6).toFixed(1)} MB) and profile.json`,
  )
  return 0
}

/** The addon's runs over one capture, as the agent (wire batches) and `replay` (NDJSON) read. */
const ADDON_RUNS = `
import { createRequire } from 'node:module'
import { openSync } from 'node:fs'
const [addon, file, pack] = process.argv.slice(1)
const { FileSource } = createRequire(import.meta.url)(addon)
const batches = new FileSource(file, { planFile: pack })
while (batches.nextBatch(4096) !== null);
const lines = new FileSource(file, { planFile: pack })
const devNull = openSync('/dev/null', 'w')
while (lines.pumpNdjson(devNull, 4096) > 0);
`

function fail(why: string): number {
  process.stderr.write(`pgo:train: ${why}\n`)
  return 1
}

try {
  process.exit(main())
} catch (err) {
  process.exit(fail(err instanceof Error ? err.message : String(err)))
}
