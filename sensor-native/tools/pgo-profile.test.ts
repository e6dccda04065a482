import { describe, expect, it } from 'vitest'
import { decide, hostOf, llvmMajorOf, type ProfileInfo } from './pgo-profile.ts'

const info: ProfileInfo = {
  llvmMajor: 22,
  rustc: 'rustc 1.95.0',
  commit: '0123456789abcdef0123',
  trainedAt: '2026-11-29',
  inputs: '332 shared captures',
}
const rustc22 =
  'rustc 1.95.0 (59807616e 2026-04-14)\nhost: x86_64-unknown-linux-gnu\nLLVM version: 22.1.2\n'
const base = {
  info,
  rustcVersion: rustc22,
  rustflags: undefined,
  off: false,
  profile: '/t/p.profdata',
}

describe('pgo profile', () => {
  it('reads the LLVM major version from rustc -vV', () => {
    expect(llvmMajorOf(rustc22)).toBe(22)
    expect(llvmMajorOf('rustc 1.95.0\n')).toBeUndefined()
  })

  it('reads the host triple every build names from rustc -vV', () => {
    expect(hostOf(rustc22)).toBe('x86_64-unknown-linux-gnu')
    expect(() => hostOf('rustc 1.95.0\n')).toThrow(/no host triple/)
  })

  it('uses the profile when the LLVM versions agree, keeping flags already set', () => {
    const d = decide({ ...base, rustflags: '-Cdebuginfo=1 ' })
    expect(d.use).toBe(true)
    expect(d.rustflags).toBe(
      '-Cdebuginfo=1 -Cprofile-use=/t/p.profdata -Cllvm-args=-no-pgo-warn-mismatch',
    )
    expect(d.note).toContain('0123456789ab')
  })

  it('builds without it, saying why, for another LLVM, no profile or SOCBOX_PGO=off', () => {
    const other = decide({ ...base, rustcVersion: rustc22.replace('22.1.2', '21.1.0') })
    expect(other).toMatchObject({ use: false })
    expect(other.note).toMatch(/trained with LLVM 22 and this rustc uses 21.*pgo:train/)
    expect(decide({ ...base, info: undefined }).note).toContain('has none')
    expect(decide({ ...base, off: true }).note).toContain('SOCBOX_PGO=off')
    expect(decide({ ...base, rustcVersion: 'rustc 1.95.0\n' }).note).toContain('an unknown LLVM')
  })
})
