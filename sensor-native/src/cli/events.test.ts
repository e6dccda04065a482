// Runs the real CLI as users do (`socbox events FILE`): the native program, through Node here and
// straight through the package's bin (bin/socbox) below.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../../../', import.meta.url).pathname
const socbox = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, 'bin/socbox.mjs'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  })

describe('socbox events', () => {
  it('prints one compact JSON object per DNS transaction of the demo capture', () => {
    const r = socbox('events', 'sensor-native/fixtures/demo-dns-queries.pcap', '--plan', 'none')
    expect(r.status, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    for (const line of lines) {
      expect(line).not.toMatch(/": /) // compact: no spaces after keys
      expect(line.startsWith('{"kind":"')).toBe(true)
    }
    const events = lines.map((l) => JSON.parse(l) as Record<string, unknown>)
    const queries = events.filter((e) => e.kind === 'dns').map((e) => e.query)
    expect(new Set(queries)).toEqual(
      new Set([
        'badsite.onion.to',
        'clean.example.org',
        'dga1234.wildcard-test.com',
        'evil-test-domain.com',
        'evilname.ip-adress.com',
        'www.evil-parent.com',
      ]),
    )
    const first = events[0] as {
      ts: unknown
      src: { ip: unknown; port: unknown; internal: unknown }
    }
    expect(Number.isInteger(first.ts)).toBe(true)
    expect(first.ts as number).toBeGreaterThan(1e12)
    expect(typeof first.src.ip).toBe('string')
    expect(typeof first.src.internal).toBe('boolean')
    expect(r.stderr).toMatch(/packets/)
  })

  it('attaches intel hits from a match plan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-events-'))
    const plan = join(dir, 'plan.json')
    writeFileSync(
      plan,
      JSON.stringify({
        v: 1,
        intel: [{ list: 't.onion', ioc: 'domain', entries: ['onion.to'] }],
        content: [],
      }),
    )
    const r = socbox('events', 'sensor-native/fixtures/demo-dns-queries.pcap', '--plan', plan)
    expect(r.status, r.stderr).toBe(0)
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    const intel = events.filter((e) => e.kind === 'intel')
    expect(intel).toHaveLength(1)
    expect(intel[0]).toMatchObject({
      list: 't.onion',
      ioc: 'domain',
      indicator: 'onion.to',
      value: 'badsite.onion.to',
      field: 'query',
      on: 'dns',
    })
    const hit = events.find((e) => e.kind === 'dns' && e.query === 'badsite.onion.to')
    expect(hit?.hits).toEqual([{ list: 't.onion', field: 'query', indicator: 'onion.to' }])
  })

  it('takes the plan out of a rule pack file and names a file that is no plan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-events-'))
    const pack = join(dir, 'pack.json')
    const plan = { v: 1, intel: [{ list: 't.onion', ioc: 'domain', entries: ['onion.to'] }] }
    writeFileSync(pack, JSON.stringify({ v: 3, version: '1', rules: [], plan }))
    const r = socbox('events', 'sensor-native/fixtures/demo-dns-queries.pcap', '--plan', pack)
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout.split('\n').filter((l) => l.includes('"kind":"intel"'))).toHaveLength(1)
    const other = join(dir, 'other.json')
    writeFileSync(other, '{"hello":1}')
    const bad = socbox('events', 'sensor-native/fixtures/demo-dns-queries.pcap', '--plan', other)
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/other\.json.*neither a rule pack nor a match plan v1/)
    expect(bad.stdout).toBe('')
  })

  it('exits non-zero with a clear message for a file that is not a capture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-events-'))
    const bogus = join(dir, 'notes.txt')
    writeFileSync(bogus, 'hello, this is not a pcap file at all')
    const r = socbox('events', bogus)
    expect(r.status).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain('notes.txt')
    expect(r.stderr).not.toMatch(/\n\s+at /) // no stack trace
    const missing = socbox('events', join(dir, 'missing.pcap'))
    expect(missing.status).toBe(2)
    expect(missing.stderr).toContain('missing.pcap')
  })

  // Many hosts, so two pipelines really split the work.
  const TLS = '../shared/data/BENIGN/ja4__tls-sni.pcapng'
  const sorted = (out: string) => out.split('\n').filter(Boolean).sort()

  it('--threads N: the events of one pipeline, in an order fixed by the file and N', () => {
    const one = socbox('events', TLS, '--plan', 'none', '--threads', '1')
    expect(one.status, one.stderr).toBe(0)
    const lines = sorted(one.stdout)
    expect(lines.length).toBeGreaterThan(100)
    const runs = [3, 3, 2].map((n) => socbox('events', TLS, '--plan', 'none', '--threads', `${n}`))
    for (const r of runs) {
      expect(r.status, r.stderr).toBe(0)
      expect(sorted(r.stdout)).toEqual(lines)
      expect(r.stderr).toMatch(new RegExp(`${lines.length} events, 0 malformed`))
    }
    const [first, again] = runs as [(typeof runs)[0], (typeof runs)[0]]
    expect(again.stdout).toBe(first.stdout)
    // Not merely the single pipeline's order: the threads shared the work out.
    expect(first.stdout).not.toBe(one.stdout)
  })

  it('--threads must be a whole number from 1 to 256', () => {
    for (const bad of ['0', '-2', '1.5', 'many', '257']) {
      const r = socbox('events', TLS, `--threads=${bad}`)
      expect(r.status, bad).toBe(2)
      expect(r.stderr).toContain(`--threads ${bad}: give a whole number from 1 to 256`)
      expect(r.stdout).toBe('')
    }
  })

  it('explains a file that is not a capture the same way on several threads', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socbox-events-'))
    const bogus = join(dir, 'notes.txt')
    writeFileSync(bogus, 'hello, this is not a pcap file at all')
    for (const threads of ['1', '2']) {
      const r = socbox('events', bogus, '--threads', threads)
      expect(r.status).toBe(2)
      expect(r.stderr).toMatch(/^socbox events: .*notes\.txt/)
      expect(r.stderr).not.toMatch(/\n\s+at /)
    }
  })

  it('explains its usage when the file is not given', () => {
    const r = socbox('events')
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/usage: socbox events FILE/)
  })

  it('bin/socbox runs the program straight, with the default pack, as Node would run it', () => {
    const capture = 'sensor-native/fixtures/demo-dns-queries.pcap'
    const straight = spawnSync(join(ROOT, 'bin/socbox'), ['events', capture], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    expect(straight.status, straight.stderr).toBe(0)
    expect(straight.stdout).toBe(socbox('events', capture).stdout)
    // The default pack's intel lists are loaded: the demo's listed names hit.
    expect(straight.stdout).toContain('"kind":"intel"')
    expect(straight.stderr).toMatch(
      /^socbox events: .*: 6 packets, 479 bytes, \d+ events, 0 malformed/m,
    )
  })

  it('bin/socbox hands every other command to the Node router', () => {
    const straight = spawnSync(join(ROOT, 'bin/socbox'), ['--help'], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    const node = socbox('--help')
    expect(straight.status).toBe(node.status)
    expect(straight.stdout).toBe(node.stdout)
    expect(straight.stdout).toContain('events')
  })
})
