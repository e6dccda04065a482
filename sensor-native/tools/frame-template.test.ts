/**
 * Every shared capture, rewritten once with fresh addresses, must read in tshark without a
 * malformed packet or a bad checksum; addresses change and keep their kind.
 */
import { mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { labelledCaptures } from './dev-set.ts'
import { applyPatches } from './frame-patch.ts'
import { dataRoot } from './paths.ts'
import { pcapWriter } from './pcap-write.ts'
import { seededRandom } from './seeded-random.ts'
import { tileAddresses } from './tile-addresses.ts'
import { loadTileSource, type TileSource } from './tile-source.ts'
import { runTshark } from './tshark-run.ts'
import { tsharkPacketCount, tsharkProblems } from './tshark-verify.ts'

const names = labelledCaptures(readFileSync(join(dataRoot, 'EXPECTED.tsv'), 'utf8'))
const sources = names.map((name) => {
  const s = loadTileSource(name, join(dataRoot, name))
  if (s instanceof Error) throw s
  return s
})

/** Each source once, one after the other, each with its own fresh addresses. */
function writeEachOnce(path: string, corrupt?: (frame: Uint8Array) => void): number {
  const w = pcapWriter(openSync(path, 'w'))
  let packets = 0
  let ts = 1_735_689_600_000_000
  sources.forEach((source: TileSource, i) => {
    const tile = tileAddresses(source.slots, seededRandom(9, `tile ${i}`))
    source.templates.forEach((t, k) => {
      const at = w.record(ts + (source.offsetsUs[k] as number), t.frame.length, t.origLen)
      w.buffer.set(t.frame, at)
      applyPatches(w.buffer, at, t.patches, tile)
      if (corrupt && packets === 10) corrupt(w.buffer.subarray(at, at + t.frame.length))
      packets += 1
    })
    ts += (source.offsetsUs.at(-1) ?? 0) + 1000
  })
  w.close()
  return packets
}

describe('rewritten shared captures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiles-'))

  it('read in tshark, every packet, with no malformed packet and no bad checksum', () => {
    const path = join(dir, 'each-once.pcap')
    const packets = writeEachOnce(path)
    expect(tsharkPacketCount(path)).toBe(packets)
    expect(tsharkProblems(path)).toEqual([])
  }, 60_000)

  it('and the check does notice a broken checksum', () => {
    const path = join(dir, 'corrupt.pcap')
    // the 11th packet of the first capture is TCP over IPv4: flip a payload byte
    writeEachOnce(path, (frame) => {
      frame[frame.length - 1] = ((frame[frame.length - 1] as number) ^ 0x5a) & 0xff
    })
    const problems = tsharkProblems(path)
    if (problems instanceof Error) throw problems
    expect(problems.length).toBe(1)
  }, 60_000)

  it('changes addresses and keeps their kind (internal stays internal)', () => {
    // maltrail__dns_queries: 10.0.0.66 asks 8.8.8.8
    const path = join(dir, 'each-once.pcap')
    const out = runTshark([
      '-n',
      '-r',
      path,
      '-Y',
      'dns.qry.name == "evil-test-domain.com"',
      '-T',
      'fields',
      '-e',
      'ip.src',
      '-e',
      'ip.dst',
    ])
    if (out instanceof Error) throw out
    const [client = '', server = ''] = out.trim().split('\n')[0]?.split('\t') ?? []
    expect(client).toMatch(/^10\.\d+\.\d+\.66$/)
    expect(client).not.toBe('10.0.0.66')
    expect(server).not.toBe('8.8.8.8')
    expect(server).not.toMatch(/^(10|127|192\.168|172\.(1[6-9]|2\d|3[01]))\./)
  })

  it('leaves out no packet of a known link type', () => {
    expect(sources.reduce((n, s) => n + s.skipped, 0)).toBe(0)
  })
})
