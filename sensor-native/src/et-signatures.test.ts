// ET Open content signatures on real shared captures, through the built addon with the feed
// build's signature set (rules/dist/feeds/content.json, made by npm install): a hunting rule on
// raw DNS payload and a scanner User-Agent rule fire where their logic says they must, and no
// signature of the set fires on the BENIGN captures.
import { readdirSync, readFileSync } from 'node:fs'
import {
  buildMatchPlan,
  intelListsFrom,
  type SourceSignature,
  signatureSetsFrom,
} from '@socbox/dsl'
import { decodeBatch } from '@socbox/dsl/runtime'
import { describe, expect, it } from 'vitest'
import { native } from './native.ts'

const data = (rel: string) => new URL(`../../../shared/data/${rel}`, import.meta.url).pathname
const content = new URL('../../rules/dist/feeds/content.json', import.meta.url).pathname

const signatures = (JSON.parse(readFileSync(content, 'utf8')) as { signatures: SourceSignature[] })
  .signatures
const plan = JSON.stringify(
  buildMatchPlan([], intelListsFrom([]), ['et-open'], signatureSetsFrom(signatures)),
)

type Ev = { kind: string; flow: string; ts: number; [field: string]: unknown }

function events(path: string): Ev[] {
  const source = new (native().FileSource)(path, { plan })
  const all: Ev[] = []
  for (let b = source.nextBatch(4096); b; b = source.nextBatch(4096))
    all.push(...(decodeBatch(b) as Ev[]))
  return all
}

describe('ET Open content signatures on shared captures', () => {
  it('loads the set and says what it refuses', () => {
    const source = new (native().FileSource)(data('BENIGN/maltrail__clean_tcp.pcap'), { plan })
    const report = JSON.parse(source.contentReport()) as {
      loaded: number
      refused: Record<string, number>
    }
    expect(report.loaded).toBeGreaterThan(1000)
    const refused = Object.values(report.refused).reduce((a, b) => a + b, 0)
    expect(report.loaded + refused).toBe(JSON.parse(plan).content.length)
    expect(source.stats()).toMatchObject({ payloadCap: 16384, signatures: report.loaded })
  })

  // ET 2029994 "ET HUNTING Suspicious NULL DNS Request", raw UDP payload: byte 2 is 0x01, then
  // 00 01 00 00 00 00 00 one byte later (one question, no answers), then 00 0a 00 01 (QTYPE NULL,
  // class IN). iodine tunnels through NULL queries: the query flow fires it, once per flow.
  it('2029994 fires on the iodine tunnel, on a flow of NULL queries', () => {
    const all = events(data('C2/ndpi__dns-tunnel-iodine.pcap'))
    const sigs = all.filter((e) => e.kind === 'sig' && e.id === 'et-open:2029994')
    expect(sigs.length).toBeGreaterThan(0)
    for (const sig of sigs) {
      expect(sig).toMatchObject({ field: 'payload', on: 'conn', set: 'et-open' })
      const queries = all.filter((e) => e.kind === 'dns' && e.flow === sig.flow)
      expect(queries.some((q) => q.qtype === 'NULL')).toBe(true)
    }
    const flows = new Set(sigs.map((s) => s.flow))
    expect(flows.size).toBe(sigs.length)
  })

  // ET 2009358: http.user_agent; content:"Mozilla/5.0 (compatible|3b| Nmap Scripting Engine";
  // nocase; depth:46. Exactly the requests whose User-Agent starts so fire it.
  it('2009358 fires once per Nmap Scripting Engine request and on nothing else', () => {
    const all = events(data('RECON/esnet-curated-pcaps__nmap_80_all.pcap'))
    const fired = new Set(
      all
        .filter((e) => e.kind === 'sig' && e.id === 'et-open:2009358')
        .map((e) => `${e.flow} ${e.ts}`),
    )
    const expected = all.filter(
      (e) =>
        e.kind === 'http' &&
        typeof e.user_agent === 'string' &&
        e.user_agent.slice(0, 46).toLowerCase() ===
          'mozilla/5.0 (compatible; nmap scripting engine',
    )
    expect(expected.length).toBeGreaterThan(0)
    expect(fired).toEqual(new Set(expected.map((e) => `${e.flow} ${e.ts}`)))
  })

  // Every BENIGN capture through the whole set: ~30 s on a busy 2-core machine.
  it('no signature of the set fires on the BENIGN captures', { timeout: 120_000 }, () => {
    const hits: string[] = []
    for (const name of readdirSync(data('BENIGN'))) {
      for (const e of events(data(`BENIGN/${name}`)))
        if (e.kind === 'sig') hits.push(`${name}: ${e.id} ${e.msg}`)
    }
    expect(hits).toEqual([])
  })
})
