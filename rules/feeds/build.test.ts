import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

// Runs the real CLI on a small intel tree laid out like shared/data/intel: feeds whose files
// are missing fail (reported, not fatal), and the shrink guard protects the previous build.
const BUILD = fileURLToPath(new URL('./build.ts', import.meta.url))
const work = mkdtempSync(join(tmpdir(), 'socbox-feeds-'))
const intel = join(work, 'intel')
const out = join(work, 'pack')

function put(path: string, text: string): void {
  mkdirSync(dirname(join(intel, path)), { recursive: true })
  writeFileSync(join(intel, path), text)
}

function build(...extra: string[]) {
  const run = spawnSync(
    process.execPath,
    [BUILD, '--out', out, '--intel', intel, '--now', '2024-02-28T00:00:00Z', ...extra],
    { encoding: 'utf8' },
  )
  return { status: run.status, stderr: run.stderr }
}

const readJson = (path: string) => JSON.parse(readFileSync(join(out, path), 'utf8'))

put(
  'maltrail/trails/static/malware/zeus.txt',
  '# Reference: https://example.org/zeus\nzeus-c2.example\n198.51.100.7:8080\n(bad|regex)\n8.8.8.8\n',
)
put('maltrail/trails/static/malicious/ek_rig.txt', 'rig-landing.example\n')
put('tor-ip-lists/tor-exit-nodes.lst', '192.0.2.1\n192.0.2.2\n192.0.2.3\n192.0.2.4\n')
put('tor-ip-lists/Last-Checked-At', 'Tue Feb 27 09:27:52 IST 2024\n')
put(
  'et-open/rules/emerging-test.rules',
  'alert dns $HOME_NET any -> any any (msg:"ET MALWARE Zeus Domain"; dns.query; content:".zeus-c2.example"; endswith; dotprefix; sid:2000100; rev:1;)\nalert tcp any any -> any !445 (msg:"ET SCAN raw"; content:"|00|"; sid:2000101; rev:1;)\n',
)

afterAll(() => rmSync(work, { recursive: true, force: true }))

// Each case spawns a full build: allow for a busy 2-core machine.
describe('build.ts', { timeout: 120_000 }, () => {
  it('builds lists with provenance and a report, reporting feeds that fail', () => {
    const first = build()
    expect(first.status).toBe(0)
    expect(first.stderr).toMatch(/skip {4}disconnect: not shippable \(CC-BY-NC-SA-4\.0/)
    expect(first.stderr).toMatch(/FAILED {2}abusech-feodo: ENOENT/)
    expect(readJson('lists/malware.c2.domain.json')).toEqual({
      list: 'malware.c2.domain',
      ioc: 'domain',
      class: 'malware.c2',
      entries: ['zeus-c2.example'],
      provenance: { 'zeus-c2.example': ['et-open', 'maltrail-malware'] },
      licence: ['BSD-3-Clause', 'MIT'],
    })
    expect(readJson('lists/malware.c2.ip.json').ports).toEqual({ '198.51.100.7': [8080] })
    expect(readJson('lists/site.exploit.domain.json').entries).toEqual(['rig-landing.example'])
    expect(
      readJson('match-plan.json').intel.find(
        (l: { list: string }) => l.list === 'suspicious.tor.ip',
      ),
    ).toEqual({
      list: 'suspicious.tor.ip',
      ioc: 'ip',
      entries: ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'],
    })
    const report = readJson('report.json')
    expect(report.lists['suspicious.tor.ip']).toBe(4)
    expect(report.contributions['malware.c2.domain']).toEqual({
      'et-open': 1,
      'maltrail-malware': 1,
    })
    expect(report.removedByAllowlist).toEqual({
      'malware.c2.ip': [{ value: '8.8.8.8', covers: '8.8.8.8', feeds: ['maltrail-malware'] }],
    })
    expect(first.stderr).toContain(
      'allowlist removed from malware.c2.ip: 8.8.8.8 (covers 8.8.8.8; maltrail-malware)',
    )
    const et = report.feeds.find((f: { feed: string }) => f.feed === 'et-open')
    expect(et.untranslatedByReason).toEqual({
      'negated header port !445': 1,
    })
    const malware = report.feeds.find((f: { feed: string }) => f.feed === 'maltrail-malware')
    expect(malware.rejectedByReason).toEqual({ 'regular-expression trail (no literal to list)': 1 })
    expect(
      report.health
        .filter((h: { kind: string }) => h.kind === 'failing')
        .map((h: { feed: string }) => h.feed),
    ).toContain('abusech-feodo')
    expect(
      report.health.some((h: { feed: string; kind: string }) => h.feed === 'tor-exit-nodes'),
    ).toBe(false) // one day old
  })

  it('is reproducible: the same input gives byte-identical lists and match plan', () => {
    const before = [
      'lists/malware.c2.domain.json',
      'lists/malware.c2.ip.json',
      'match-plan.json',
      'content.json',
    ].map((f) => readFileSync(join(out, f), 'utf8'))
    expect(build().status).toBe(0)
    const after = [
      'lists/malware.c2.domain.json',
      'lists/malware.c2.ip.json',
      'match-plan.json',
      'content.json',
    ].map((f) => readFileSync(join(out, f), 'utf8'))
    expect(after).toEqual(before)
  })

  it('refuses an update that empties most of a list, keeping the previous build', () => {
    put('tor-ip-lists/tor-exit-nodes.lst', '192.0.2.1\n')
    const refused = build()
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain(
      'REFUSED list suspicious.tor.ip would shrink from 4 to 1 entries (-75%), more than the allowed 50%',
    )
    expect(readJson('lists/suspicious.tor.ip.json').entries.length).toBe(4)
    const accepted = build('--accept-shrink', 'suspicious.tor.ip', '--origins')
    expect(accepted.status).toBe(0)
    expect(readJson('lists/suspicious.tor.ip.json').entries).toEqual(['192.0.2.1'])
    expect(readJson('origins/malware.c2.domain.json')).toEqual({
      'zeus-c2.example': ['et-open:emerging-test.rules:1', 'maltrail-malware:malware/zeus.txt:2'],
    })
  })

  it('keeps a failing feed’s previous entries and reports the failure', () => {
    rmSync(join(intel, 'tor-ip-lists/tor-exit-nodes.lst'))
    const run = build()
    expect(run.status).toBe(0)
    expect(run.stderr).toMatch(/FAILED {2}tor-exit-nodes: ENOENT/)
    expect(readJson('lists/suspicious.tor.ip.json')).toMatchObject({
      entries: ['192.0.2.1'],
      provenance: { '192.0.2.1': ['tor-exit-nodes'] },
    })
    const report = readJson('report.json')
    expect(report.feeds.find((f: { feed: string }) => f.feed === 'tor-exit-nodes')).toMatchObject({
      carriedForward: 1,
    })
    expect(
      report.health
        .filter((h: { feed: string }) => h.feed === 'tor-exit-nodes')
        .map((h: { kind: string }) => h.kind),
    ).toEqual(['failing'])
  })
})
