/**
 * What every fault test starts from: a temp dir and a local stack (wrangler dev) persisting into
 * it, removed afterwards; and the one way "exactly once" is judged, by the edge's R2 archive.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { type Stack, startStack } from '../../scripts/local-stack.ts'
import { freePort } from '../../scripts/proc.ts'
import { archivedEvents } from './archive.ts'

export type FaultStack = { dir(): string; persist(): string; stack(): Stack }

/** Registers the hooks of a test file that runs against its own stack. */
export function useFaultStack(prefix: string): FaultStack {
  let dir: string | undefined
  let stack: Stack | undefined
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), `socbox-fault-${prefix}-`))
    stack = await startStack({ port: await freePort(), persistDir: join(dir, 'persist') })
  })
  afterAll(async () => {
    await stack?.stop()
    // Persisted D1, R2 and Durable Object state, the spool and the source: megabytes per run.
    if (dir) rmSync(dir, { recursive: true, force: true })
  })
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`no ${what}: beforeAll did not run`)
    return value
  }
  return {
    dir: () => need(dir, 'dir'),
    persist: () => join(need(dir, 'dir'), 'persist'),
    stack: () => need(stack, 'stack'),
  }
}

/**
 * The edge holds each expected event once and nothing else. Reads the archive, which workerd
 * keeps locked while it runs: call it with the stack stopped.
 */
export function expectArchivedOnce(
  persistDir: string,
  expected: Record<string, unknown>[],
  key: (e: Record<string, unknown>) => string,
) {
  const keys = archivedEvents(persistDir).map(key)
  expect(keys.length - new Set(keys).size, 'events the edge holds twice').toBe(0)
  expect(keys.sort()).toEqual(expected.map(key).sort())
}
