/**
 * `npm run build:native` (run by `npm install`): the addon and the `socbox events` program in
 * release, with the committed PGO profile when this rustc can read it (see pgo-profile.ts), into
 * `native/`.
 */
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { repoRoot } from './paths.ts'
import { pgoBuild } from './pgo-profile.ts'

const sensorRoot = join(repoRoot, 'sensor-native')
const rustc = spawnSync('rustc', ['-vV'], { encoding: 'utf8' })
if (rustc.status !== 0) {
  process.stderr.write('build:native: rustc is required (install Rust with rustup) and missing\n')
  process.exit(1)
}
const build = pgoBuild(sensorRoot, rustc.stdout)
process.stderr.write(`build:native: building the addon ${build.note}\n`)
const localNapi = join(repoRoot, 'node_modules/.bin/napi')
const napi = spawnSync(
  existsSync(localNapi) ? localNapi : 'napi',
  [
    'build',
    '--platform',
    '--release',
    '--target',
    build.target,
    '--target-dir',
    build.targetDir,
    '--manifest-path',
    'crates/socbox-node/Cargo.toml',
    '--config-path',
    'native/napi.json',
    '--output-dir',
    'native',
    '--js',
    'index.cjs',
    '--dts',
    'index.d.ts',
  ],
  { cwd: sensorRoot, stdio: 'inherit', env: { ...process.env, ...build.env } },
)
if (napi.status !== 0) process.exit(napi.status ?? 1)

// Same flags, target directory and target as the addon, so most of the crates they share are
// built once.
process.stderr.write('build:native: building the socbox events program\n')
const cargo = spawnSync(
  'cargo',
  [
    ...['build', '--release', '--package', 'socbox-cli'],
    ...['--target-dir', build.targetDir, '--target', build.target],
  ],
  { cwd: sensorRoot, stdio: 'inherit', env: { ...process.env, ...build.env } },
)
if (cargo.status !== 0) process.exit(cargo.status ?? 1)
// Copied beside, then renamed: a run of the old program is never left with a half-written file.
const program = join(sensorRoot, 'native/socbox-events')
copyFileSync(join(build.targetDir, build.target, 'release/socbox-events'), `${program}.tmp`)
renameSync(`${program}.tmp`, program)
