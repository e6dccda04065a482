import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { COMMANDS, usage } from './commands.ts'

const ROOT = new URL('../', import.meta.url).pathname

describe('socbox dispatcher', () => {
  it('lists every command in its usage', () => {
    for (const c of COMMANDS) expect(usage()).toContain(c.name)
  })
  it('resolves every command to a module with a main function', async () => {
    for (const c of COMMANDS) {
      const mod = (await import(c.module)) as { main?: unknown }
      expect(typeof mod.main, c.name).toBe('function')
    }
  })
  it('refuses an unknown command with the usage and status 2, through the bin and the router', () => {
    for (const bin of ['bin/socbox.mjs', 'bin/socbox.ts']) {
      const r = spawnSync(process.execPath, [bin, 'frobnicate'], { cwd: ROOT, encoding: 'utf8' })
      expect(r.status, bin).toBe(2)
      expect(r.stderr).toContain("unknown command 'frobnicate'")
      expect(r.stderr).toContain('usage: socbox')
    }
  })
  it('runs `socbox events` without TypeScript (no type stripping at start-up)', () => {
    const r = spawnSync(
      process.execPath,
      [
        '--no-experimental-strip-types',
        'bin/socbox.mjs',
        'events',
        'sensor-native/fixtures/demo-dns-queries.pcap',
        '--plan',
        'none',
      ],
      { cwd: ROOT, encoding: 'utf8' },
    )
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(12)
  })
})
