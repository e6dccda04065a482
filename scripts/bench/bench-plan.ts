// The match plan bench:sensor loads: every entry of the feed build's real lists, padded with
// generated entries of the same kinds (in the real lists' proportions) up to `total`, plus the
// ET Open content signatures. Generated entries never collide with real ones (`.bench-pad.`
// names, addresses in 240.0.0.0/4), so hits come from the real lists only.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildMatchPlan,
  intelListsFrom,
  type SourceSignature,
  signatureSetsFrom,
} from '@socbox/dsl'
import type { MatchPlan } from '@socbox/dsl/runtime'

type ListFile = { list: string; ioc: string; entries: string[] }

export type BenchPlan = {
  plan: MatchPlan
  real: number
  padded: number
  byKind: Record<string, number>
}

/** Deterministic 32-bit generator (mulberry32). */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function padEntry(ioc: string, i: number, next: () => number): string {
  const word = () => Math.floor(next() * 36 ** 6).toString(36)
  switch (ioc) {
    case 'ip': {
      const n = Math.floor(next() * 2 ** 28)
      // 240.0.0.0/4 (reserved, RFC 1112) holds no real indicator; one in 50 is a /28.
      const last = n & 255
      return i % 50 === 0
        ? `${240 + (n >>> 24)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${last & 0xf0}/28`
        : `${240 + (n >>> 24)}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${last}`
    }
    case 'url':
      return `${word()}.bench-pad.example/${word()}/${word()}.php?id=${i}`
    case 'hash':
      return Array.from({ length: 64 }, () => Math.floor(next() * 16).toString(16)).join('')
    default:
      return `${word()}.${word()}.bench-pad.example`
  }
}

export function listsPaddedTo(lists: ListFile[], total: number, seed = 1): ListFile[] {
  const real = lists.reduce((n, l) => n + l.entries.length, 0)
  const missing = Math.max(0, total - real)
  const next = random(seed)
  const byKind = new Map<string, number>()
  for (const l of lists) byKind.set(l.ioc, (byKind.get(l.ioc) ?? 0) + l.entries.length)
  const padding: ListFile[] = []
  let left = missing
  const kinds = [...byKind].filter(([ioc]) => ['domain', 'ip', 'url', 'hash'].includes(ioc))
  const kindTotal = kinds.reduce((n, [, c]) => n + c, 0)
  for (const [k, [ioc, count]] of kinds.entries()) {
    const n = k === kinds.length - 1 ? left : Math.round((missing * count) / kindTotal)
    left -= n
    const entries = Array.from({ length: n }, (_, i) => padEntry(ioc, i, next))
    if (n > 0) padding.push({ list: `bench.pad.${ioc}`, ioc, entries })
  }
  return [...lists, ...padding]
}

/** Reads `feedsDir` (rules/dist/feeds) and builds the plan. */
export function benchPlan(feedsDir: string, total: number): BenchPlan {
  const lists: ListFile[] = readdirSync(join(feedsDir, 'lists'))
    .filter((n) => n.endsWith('.json'))
    .sort()
    .map((n) => JSON.parse(readFileSync(join(feedsDir, 'lists', n), 'utf8')) as ListFile)
  const real = lists.reduce((n, l) => n + l.entries.length, 0)
  const padded = listsPaddedTo(lists, total)
  const content = JSON.parse(readFileSync(join(feedsDir, 'content.json'), 'utf8')) as {
    signatures: SourceSignature[]
  }
  const plan = buildMatchPlan(
    padded.map((l) => l.list),
    intelListsFrom(padded.map((l) => ({ id: l.list, ioc: l.ioc as 'domain', entries: l.entries }))),
    ['et-open'],
    signatureSetsFrom(content.signatures),
  )
  const byKind: Record<string, number> = {}
  for (const l of plan.intel) byKind[l.ioc] = (byKind[l.ioc] ?? 0) + l.entries.length
  const entries = Object.values(byKind).reduce((a, b) => a + b, 0)
  return { plan, real, padded: entries - real, byKind }
}

/** 1M domains + 1M IPs + 100k URLs, all generated: the ARCHITECTURE.md IOC-set target. */
export function targetPlan(seed = 2): MatchPlan {
  const next = random(seed)
  const list = (ioc: string, n: number) => ({
    list: `bench.${ioc}`,
    ioc,
    entries: [...new Set(Array.from({ length: n }, (_, i) => padEntry(ioc, i, next)))],
  })
  return {
    v: 1,
    intel: [list('domain', 1_000_000), list('ip', 1_000_000), list('url', 100_000)],
    content: [],
  }
}
