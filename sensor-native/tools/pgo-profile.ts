/**
 * How release builds of the sensor (the addon, the bench example) use the committed
 * profile-guided-optimisation profile, `sensor-native/pgo/socbox.profdata.gz`.
 *
 * LLVM reads a profile only from its own major version, so the profile is used when `rustc -vV`
 * names the LLVM it was trained with (`pgo/profile.json`); with another compiler the build goes
 * on without it and says why. `SOCBOX_PGO=off` builds without it (for A/B runs). Those builds
 * get their own target directory: other flags in the same one would make cargo rebuild every
 * crate each time the tests (plain release) and the addon take turns.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

export type ProfileInfo = {
  /** LLVM major version of the compiler that made the training build. */
  llvmMajor: number
  rustc: string
  commit: string
  trainedAt: string
  /** What the training runs went through, in words. */
  inputs: string
}

export type PgoBuild = {
  /** Environment to add to cargo's (RUSTFLAGS), empty without the profile. */
  env: Record<string, string>
  /** Cargo target directory of these builds. */
  targetDir: string
  /**
   * The target every build names (`--target`; artefacts under `targetDir/target/release`), the
   * training's as well. Cargo gives crates built for a named target other symbol names than
   * crates built for the host unnamed, and LLVM finds a function's counts by its symbol name: napi
   * names the target, so the addon found none of the profile trained on the unnamed build
   * (`-Cllvm-args=-pgo-warn-missing-function`: 2,703 of the sensor's functions without counts
   * against 1,084 never run in training).
   */
  target: string
  /** One line for the build's log: whether the profile is used, and if not why. */
  note: string
}

/** The host triple in `rustc -vV` output (`host: x86_64-unknown-linux-gnu`). */
export function hostOf(rustcVersion: string): string {
  const m = /^host: (\S+)$/m.exec(rustcVersion)
  if (!m?.[1]) throw new Error(`rustc -vV names no host triple:\n${rustcVersion}`)
  return m[1]
}

/** The LLVM major version in `rustc -vV` output, if it names one. */
export function llvmMajorOf(rustcVersion: string): number | undefined {
  const m = /^LLVM version: (\d+)\./m.exec(rustcVersion)
  return m ? Number(m[1]) : undefined
}

/**
 * Whether and how to use the profile: a decision from the facts alone (tested without cargo).
 * `profile` is where the unpacked profile is or will be.
 */
export function decide(opts: {
  info: ProfileInfo | undefined
  rustcVersion: string
  rustflags: string | undefined
  off: boolean
  profile: string
}): { use: boolean; rustflags?: string; note: string } {
  const { info, rustcVersion, rustflags, off, profile } = opts
  if (off) return { use: false, note: 'without the PGO profile (SOCBOX_PGO=off)' }
  if (!info) return { use: false, note: 'without a PGO profile (sensor-native/pgo has none)' }
  const major = llvmMajorOf(rustcVersion)
  if (major !== info.llvmMajor) {
    return {
      use: false,
      note: `without the PGO profile: it was trained with LLVM ${info.llvmMajor} and this rustc uses ${major ?? 'an unknown LLVM'} (npm run pgo:train makes one for it)`,
    }
  }
  const flags = [
    rustflags?.trim(),
    `-Cprofile-use=${profile}`,
    // Functions changed since the training run have no profile; that is expected, not news.
    '-Cllvm-args=-no-pgo-warn-mismatch',
  ].filter((f) => f)
  return {
    use: true,
    rustflags: flags.join(' '),
    note: `with the PGO profile of ${info.commit.slice(0, 12)} (${info.inputs})`,
  }
}

/** The build settings for `sensorRoot` (sensor-native/), unpacking the profile when used. */
export function pgoBuild(sensorRoot: string, rustcVersion: string): PgoBuild {
  const dir = join(sensorRoot, 'pgo')
  const packed = join(dir, 'socbox.profdata.gz')
  const infoFile = join(dir, 'profile.json')
  const targetDir = join(sensorRoot, 'target/dist')
  const info =
    existsSync(packed) && existsSync(infoFile)
      ? (JSON.parse(readFileSync(infoFile, 'utf8')) as ProfileInfo)
      : undefined
  const bytes = info ? readFileSync(packed) : undefined
  const id = bytes ? createHash('sha256').update(bytes).digest('hex').slice(0, 16) : ''
  const profile = join(targetDir, `socbox-${id}.profdata`)
  const d = decide({
    info,
    rustcVersion,
    rustflags: process.env.RUSTFLAGS,
    off: process.env.SOCBOX_PGO === 'off',
    profile,
  })
  const target = hostOf(rustcVersion)
  if (!d.use || !bytes) return { env: {}, targetDir, target, note: d.note }
  if (!existsSync(profile)) {
    mkdirSync(targetDir, { recursive: true })
    const partial = `${profile}.${process.pid}.part`
    writeFileSync(partial, gunzipSync(bytes))
    renameSync(partial, profile)
  }
  return { env: { RUSTFLAGS: d.rustflags ?? '' }, targetDir, target, note: d.note }
}
