// The agent with heartbeats and pack polling on: a real capture through the native source, one
// HTTP front on 127.0.0.1 that sends /v1/ingest to the ingest test edge and the rest to the
// heartbeat and pack test edge.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Agent } from './agent.ts'
import { LocalEdge } from './local-edge.ts'
import { PackAndHeartbeatEdge } from './pack-and-heartbeat-edge.ts'

const TOKEN = `sbs1.sensor-ag.${'a'.repeat(43)}`
// Shared data: nDPI test capture (LGPL-3.0), DNS tunnel queries under pirate.sea, 24 s long.
const IODINE = new URL('../../../../shared/data/C2/ndpi__dns-tunnel-iodine.pcap', import.meta.url)
  .pathname
const PLAN = {
  v: 1,
  intel: [{ list: 'test', ioc: 'domain', entries: ['pirate.sea'] }],
  content: [],
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

/** One base URL for both test edges, as the real edge serves all three routes. */
async function front(ingest: LocalEdge, health: PackAndHeartbeatEdge): Promise<string> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const base = req.url === '/v1/ingest' ? ingest.url : health.url
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v
    delete headers.host
    delete headers['content-length']
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined
    const got = await fetch(`${base}${req.url}`, { method: req.method ?? 'GET', headers, body })
    const out: Record<string, string> = {}
    got.headers.forEach((v, k) => {
      if (k !== 'content-length' && k !== 'transfer-encoding') out[k] = v
    })
    res.writeHead(got.status, out)
    res.end(Buffer.from(await got.arrayBuffer()))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  closers.push(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('agent heartbeats and packs', () => {
  it('sends heartbeats with its figures and swaps in the edge pack while replaying', async () => {
    const ingest = await LocalEdge.start()
    const health = await PackAndHeartbeatEdge.start(TOKEN)
    closers.push(
      () => ingest.down(),
      () => health.close(),
    )
    health.setPack('edge-2', PLAN)
    const url = await front(ingest, health)
    const dir = mkdtempSync(join(tmpdir(), 'socbox-hb-agent-'))
    const localPack = join(dir, 'pack.json')
    const empty = { v: 1, intel: [], content: [] }
    writeFileSync(
      localPack,
      JSON.stringify({ v: 1, version: 'local-1', hash: 'h0', rules: [], plan: empty }),
    )
    const log: string[] = []
    const config = {
      edge: url,
      token: TOKEN,
      source: { kind: 'capture', path: IODINE },
      homeNets: undefined,
      plan: localPack,
      spoolDir: join(dir, 'spool'),
      spoolMaxBytes: 64 << 20,
      segmentBytes: 64 << 10,
      batchEvents: 20,
      batchIntervalMs: 100,
      replaySpeed: 12,
      syncIntervalMs: 20,
      shutdownGraceMs: 200,
      sendWindow: 4,
      heartbeatIntervalMs: 150,
      packPollMs: 1000,
    } as const
    const summary = await new Agent(config, { log: (l) => log.push(l) }).run()
    expect(summary.error).toBeUndefined()
    expect(log).toContain('rule pack edge-2 in use (was local-1)')
    expect(summary.packs).toMatchObject({ swaps: 1, refused: 0, version: 'edge-2' })
    // The swap came early in the replay: most DNS events carry the new plan's hit.
    const dns = ingest.events().filter((e) => e.kind === 'dns')
    const hit = dns.filter((e) => (e.hits as unknown[] | undefined)?.length)
    expect(hit.length).toBeGreaterThan(dns.length / 2)
    // Heartbeats: signed (the test edge checks), numbered, with the figures of the replay.
    expect(health.refused).toEqual([])
    const beats = health.heartbeats.map((h) => h.body)
    expect(beats.length).toBeGreaterThanOrEqual(5)
    expect(beats.at(-1)).toMatchObject({ pack_version: 'edge-2', drops_kernel: 0, drops_app: 0 })
    expect(beats.some((b) => (b.pps as number) > 0 && (b.bps as number) > 0)).toBe(true)
    expect(Math.max(...beats.map((b) => b.endpoints_24h as number))).toBeGreaterThan(0)
    expect(beats.every((b) => typeof b.cpu === 'number' && (b.rss_bytes as number) > 0)).toBe(true)
    expect(summary.heartbeats?.failed).toBe(0)
    // The next start (on another capture) matches with the pack it took from the edge from the
    // first packet on, and the first poll finds nothing newer.
    const copy = join(dir, 'copy.pcap')
    copyFileSync(IODINE, copy)
    const again: string[] = []
    const second = await new Agent(
      { ...config, source: { kind: 'capture', path: copy } },
      { log: (l) => again.push(l) },
    ).run()
    expect(again).toContain('rule pack edge-2 in use, as the last run left it')
    expect(second.packs).toMatchObject({ swaps: 0, version: 'edge-2' })
    const secondDns = ingest
      .events()
      .filter((e) => e.kind === 'dns')
      .slice(dns.length)
    expect(secondDns.length).toBe(dns.length)
    const tunnel = secondDns.filter((e) => String(e.query).endsWith('pirate.sea'))
    expect(tunnel.length).toBeGreaterThan(100)
    // Every one, from the first packet on.
    expect(tunnel.filter((e) => !(e.hits as unknown[] | undefined)?.length)).toEqual([])
    expect(health.notModified).toBeGreaterThanOrEqual(1)
  }, 30_000)
})
