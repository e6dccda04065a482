// Runs `socbox detect` as a process, on real captures, with the built default pack and with a
// pack compiled here (so the test owns the rule it relies on).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { compilePack, intelListsFrom } from '@socbox/dsl'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../../../', import.meta.url).pathname
const SHARED = join(ROOT, '../shared/data')
const DETECT = join(ROOT, 'sensor-native/src/cli/detect.ts')

const detect = (...args: string[]) =>
  spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { main } from ${JSON.stringify(DETECT)}; process.exitCode = await main(${JSON.stringify(args)})`,
    ],
    { cwd: ROOT, encoding: 'utf8' },
  )

const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)

const SCAN_RULE = `correlation "SB-TEST-0001" version 1 {
  title { en "Test scan by {src.ip}" ja "テスト {src.ip}" }
  class "recon.scan" severity low status experimental attack [T1046]
  on conn where state in [S0, REJ]
  group by src.ip, dst.ip
  window sliding 10m
  when distinct(dst.port) >= 5
}`

describe('socbox detect', () => {
  it('prints NDJSON alerts with the contract fields, from the default pack and native intel', () => {
    const r = detect('sensor-native/fixtures/demo-dns-queries.pcap', '--format', 'ndjson')
    expect(r.status, r.stderr).toBe(0)
    const tor = lines(r.stdout).find((a) => a.rule === 'SB-TOR-0001')
    expect(tor).toMatchObject({
      class: 'suspicious.tor',
      severity: 'medium',
      src: { ip: '10.0.0.66', port: 50002 },
      dst: { ip: '8.8.8.8', port: 53 },
      title: 'Lookup of a Tor2web gateway: badsite.onion.to',
    })
    expect(Number.isInteger(tor?.ts)).toBe(true)
  })

  it('prints a table by default with the English title', () => {
    const r = detect('sensor-native/fixtures/demo-dns-queries.pcap')
    expect(r.status, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^time \(JST\) +severity +class +rule/)
    expect(r.stdout).toContain('Lookup of a Tor2web gateway: badsite.onion.to')
  })

  const portScan = join(SHARED, 'RECON/malcolm-test-artifacts__port_scan.pcap')
  it.skipIf(!existsSync(portScan))(
    'flushes windows still open at the end of the capture and reports each finding once',
    () => {
      const { pack, diagnostics } = compilePack(
        [{ path: 'test.soc', text: SCAN_RULE }],
        intelListsFrom([]),
      )
      expect(diagnostics).toEqual([])
      const path = join(mkdtempSync(join(tmpdir(), 'socbox-detect-')), 'pack.json')
      writeFileSync(path, JSON.stringify(pack))
      const r = detect(portScan, '--pack', path, '--format', 'ndjson')
      expect(r.status, r.stderr).toBe(0)
      const alerts = lines(r.stdout)
      expect(alerts.map((a) => [a.rule, a.class, (a.src as { ip: string }).ip])).toEqual([
        ['SB-TEST-0001', 'recon.scan', '192.168.2.154'],
      ])
    },
  )

  it('exits 2 and names the file when a capture cannot be read', () => {
    const r = detect('no-such-capture.pcap')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('no-such-capture.pcap')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('refuses an unknown format with its usage', () => {
    const r = detect('x.pcap', '--format', 'xml')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--format is table or ndjson')
  })
})
