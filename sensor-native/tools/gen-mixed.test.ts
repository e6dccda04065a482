import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from './paths.ts'
import { readCapture } from './pcap-read.ts'
import { parseConversations } from './tshark-conv.ts'
import { runTshark } from './tshark-run.ts'
import { tsharkPacketCount, tsharkProblems } from './tshark-verify.ts'

const dir = mkdtempSync(join(tmpdir(), 'gen-mixed-'))

function gen(...args: string[]) {
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'sensor-native/tools/gen-mixed.ts'), ...args],
    {
      encoding: 'utf8',
    },
  )
  return { status: run.status, stderr: run.stderr }
}

function ipv4Addresses(path: string): Set<string> {
  const out = runTshark(['-n', '-r', path, '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst'])
  if (out instanceof Error) throw out
  return new Set(out.split(/[\t\n,]/).filter((a) => a !== ''))
}

describe('gen-mixed --size', () => {
  const a = join(dir, 'a.pcap')
  const b = join(dir, 'b.pcap')
  const c = join(dir, 'c.pcap')
  const runs = [
    gen('--out', a, '--size', '1MB', '--seed', '7'),
    gen('--out', b, '--size', '1MB', '--seed', '7'),
  ]
  runs.push(gen('--out', c, '--size', '1MB', '--seed', '8'))

  it('writes a pcap of about the asked size, with progress on stderr', () => {
    for (const run of runs) expect(run.status, run.stderr).toBe(0)
    expect(runs[0]?.stderr).toMatch(/MB\/s/)
    const size = readFileSync(a).length
    expect(size).toBeGreaterThanOrEqual(1e6)
    expect(size).toBeLessThan(1e6 + 70_000)
  })

  it('that tshark reads whole, without malformed packets or bad checksums', () => {
    const packets = readCapture(readFileSync(a))
    if (packets instanceof Error) throw packets
    expect(packets.every((p) => p.linktype === 1)).toBe(true)
    expect(tsharkPacketCount(a)).toBe(packets.length)
    expect(tsharkProblems(a)).toEqual([])
  }, 30_000)

  it('with times that never go backwards', () => {
    const packets = readCapture(readFileSync(a))
    if (packets instanceof Error) throw packets
    const backwards = packets.filter(
      (p, i) => i > 0 && p.tsUs < (packets[i - 1] as { tsUs: number }).tsUs,
    )
    expect(backwards.length).toBe(0)
  })

  it('gives the same bytes for the same seed and other addresses for another', () => {
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true)
    const [sa, sc] = [ipv4Addresses(a), ipv4Addresses(c)]
    const shared = [...sa].filter((x) => sc.has(x))
    // only addresses that are kept on purpose (broadcast, multicast…) may be in both
    for (const x of shared) expect(x).toMatch(/^(0|127|2[2-5]\d)\./)
  }, 30_000)
})

describe('gen-mixed --flows', () => {
  it('writes that many distinct TCP and UDP flows, valid for tshark', () => {
    const path = join(dir, 'flows.pcap')
    const run = gen('--out', path, '--flows', '3001', '--seed', '2')
    expect(run.status, run.stderr).toBe(0)
    const conv = runTshark(['-n', '-r', path, '-q', '-z', 'conv,tcp', '-z', 'conv,udp'])
    if (conv instanceof Error) throw conv
    expect(parseConversations(conv)).toEqual({ tcp: 1501, udp: 1500 })
    expect(tsharkProblems(path)).toEqual([])
    // sequence numbers that fit: no lost segments, unseen ACKs or retransmissions in tshark's eyes
    const warnings = runTshark(['-n', '-r', path, '-q', '-z', 'expert,warn'])
    expect(warnings).not.toMatch(/Warns/)
  }, 30_000)
})

describe('gen-mixed usage', () => {
  it.each([
    [['--size', '1MB'], /--out/],
    [['--out', join(dir, 'x.pcap')], /either --size or --flows/],
    [['--out', join(dir, 'x.pcap'), '--size', 'lots'], /not a size/],
    [['--out', join(dir, 'x.pcap'), '--flows', '10', '--seed', '-1'], /--seed/],
  ])('refuses %j', (args, message) => {
    const run = gen(...args)
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(message)
  })
})
