import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { describeProblem, loadConfig } from './config.ts'

const dir = mkdtempSync(join(tmpdir(), 'socbox-config-'))
const capture = join(dir, 'c.pcap')
writeFileSync(capture, '')
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('loadConfig', () => {
  it('takes flags over env over file over defaults, and says where each value came from', () => {
    const configPath = file(
      'a.jsonc',
      `{
  // where events go
  "edge": "http://file.example:1",
  "token": "from-file",
  "source": "${capture}",
  "batchEvents": 50,
  "spoolMaxBytes": "2MiB"
}`,
    )
    const r = loadConfig({
      flags: { batch: '70' },
      env: { SOCBOX_TOKEN: 'from-env', SOCBOX_BATCH: '60' },
      configPath,
    })
    if (!r.ok) throw new Error(r.problems.map(describeProblem).join('\n'))
    expect(r.config).toMatchObject({
      edge: 'http://file.example:1',
      token: 'from-env',
      batchEvents: 70,
      spoolMaxBytes: 2 * 1024 * 1024,
      batchIntervalMs: 1000,
      source: { kind: 'capture', path: capture },
    })
    expect(r.origins).toMatchObject({
      edge: `${configPath}:3`,
      token: 'env SOCBOX_TOKEN',
      batchEvents: 'flag --batch',
      batchIntervalMs: 'default',
    })
  })

  it('reports every problem with its key, its origin and a fix', () => {
    const configPath = file(
      'b.jsonc',
      '{\n  "edge": "http://e:1",\n  "batchEvent": 5,\n  "spoolMaxBytes": "lots"\n}',
    )
    const r = loadConfig({ flags: { 'batch-interval': 'soon' }, env: {}, configPath })
    expect(r.ok).toBe(false)
    if (r.ok) return
    const lines = r.problems.map(describeProblem)
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^batchEvent \(from .*b\.jsonc:3\): is not a setting; known settings: edge, token/,
      ),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(/^spoolMaxBytes \(from .*b\.jsonc:4\): "lots" is not a size/),
    )
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^batchIntervalMs \(from flag --batch-interval\): "soon" is not a duration/,
      ),
    )
    expect(lines).toContainEqual(
      'token (from nowhere): is required; pass --token, set SOCBOX_TOKEN, or add "token" to the config file',
    )
  })

  it('names the line of a syntax error in the file', () => {
    const configPath = file('c.jsonc', '{\n  "edge": "http://e:1"\n  "token": "t"\n}')
    const r = loadConfig({ flags: {}, env: {}, configPath })
    expect(!r.ok && r.problems[0]).toMatchObject({ key: 'config', from: `${configPath}:3` })
  })

  it('tells an interface from a capture file and an events file', () => {
    const events = file('e.ndjson', '')
    const base = { edge: 'http://e:1', token: 't' }
    const source = (s: string) => {
      const r = loadConfig({ flags: { ...base, source: s }, env: {} })
      return r.ok ? r.config.source : r.problems[0]?.problem
    }
    expect(source('eth0')).toEqual({ kind: 'interface', name: 'eth0' })
    expect(source(events)).toEqual({ kind: 'events', path: events })
    expect(source(join(dir, 'missing.pcap'))).toMatch(/does not exist/)
  })
})
