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
  it('refuses an unknown command with the usage and status 2', () => {
    const r = spawnSync(process.execPath, ['bin/socbox.ts', 'frobnicate'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("unknown command 'frobnicate'")
    expect(r.stderr).toContain('usage: socbox')
  })
})
