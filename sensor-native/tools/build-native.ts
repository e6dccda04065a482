/**
 * `npm run build:native` (run by `npm install`): the addon in release, with the committed PGO
 * profile when this rustc can read it (see pgo-profile.ts), into `native/`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
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
process.exit(napi.status ?? 1)
