// The pure part of a pack build: loaded feeds → merged lists after the agreement policy, the
// shrink check against the previous build, feed health, and a report of everything dropped.
import type { ContentSignature } from '../et-open/content-signature.ts'
import { type FeedStatus, feedHealth, type HealthFinding } from '../health/feed-health.ts'
import {
  type AgreementPolicy,
  applyAgreement,
  buildCorroboration,
  type HeldBack,
} from '../lists/agreement.ts'
import { type Allowlist, type AllowlistRemoval, applyAllowlist } from '../lists/allowlist.ts'
import { carryForward, type PreviousList } from '../lists/carry-forward.ts'
import {
  type IntelList,
  type ListEntry,
  listIdOf,
  mergeIndicators,
  sortedEntries,
} from '../lists/intel-list.ts'
import { applySanity, type SanityRemoval } from '../lists/list-sanity.ts'
import { checkShrink, type ShrinkRefusal } from '../lists/shrink-guard.ts'
import { isListClass } from '../model/classes.ts'
import type { Indicator, Ioc } from '../model/indicator.ts'
import type { FeedManifest } from './feed-manifest.ts'
import type { FailedFeed, LoadedFeed } from './load-feed.ts'

export interface PackPolicy {
  maxShrink: number
  perListShrink?: Record<string, number>
  agreement?: Record<string, AgreementPolicy>
}

export interface ListFile {
  list: string
  ioc: Ioc
  class: string
  entries: string[]
  provenance: Record<string, string[]>
  licence: string[]
  /** Addresses that feeds list only together with destination ports. */
  ports?: Record<string, number[]>
}

export interface FeedReport {
  feed: string
  title: string
  licence: string
  shippable: boolean
  included: boolean
  files: number
  indicators: number
  rejectedLines: number
  rejectedByReason: Record<string, number>
  dataTime?: string
  dataTimeFrom?: string
  loadMs: number
  error?: string
  /** Entries of the previous build kept because the feed failed. */
  carriedForward?: number
  intelRules?: number
  signatures?: number
  untranslatedByReason?: Record<string, number>
  unlicensed?: number
  notes?: Record<string, number>
  skipped?: Record<string, number>
}

export interface PackBuild {
  lists: ListFile[]
  /** With `withOrigins`: per list, per entry, every `feed:file:line` that listed it. */
  origins?: Record<string, Record<string, string[]>>
  signatures: ContentSignature[]
  heldBack: Record<string, HeldBack[]>
  /** Threat-list entries that can only be mistakes (internal addresses, whole TLDs, …). */
  removedBySanity: Record<string, SanityRemoval[]>
  /** Threat-list entries removed because they would match allowlisted infrastructure. */
  removedByAllowlist: Record<string, AllowlistRemoval[]>
  refusals: ShrinkRefusal[]
  /** Lists not written because their class is not a socbox class. */
  invalidLists: { list: string; entries: number; reason: string }[]
  health: HealthFinding[]
  feeds: FeedReport[]
}

export interface BuildInput {
  feeds: (LoadedFeed | FailedFeed)[]
  policy: PackPolicy
  now: number
  /** Entry counts per list of the build in force; absent for a first build. */
  previousCounts?: ReadonlyMap<string, number>
  /** Lists of the build in force: entries of feeds that fail now are carried forward. */
  previousLists?: readonly PreviousList[]
  /** Infrastructure that no threat list may cover (allowlist.json). */
  allowlist?: Allowlist
  acceptShrink?: readonly string[]
  /** Evaluation builds include unshippable feeds (never to be published). */
  includeUnshippable?: boolean
  withOrigins?: boolean
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1
  return Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]))
}

function licenceOf(manifest: FeedManifest): string {
  return manifest.licence.shipOnly?.join(' OR ') ?? manifest.licence.spdx
}

function originsOf(list: IntelList): Record<string, string[]> {
  const origins: Record<string, string[]> = {}
  for (const entry of sortedEntries(list))
    origins[entry.value] = entry.origins.map((o) => `${o.feed}:${o.source}:${o.line}`)
  return origins
}

function toListFile(list: IntelList, manifests: ReadonlyMap<string, FeedManifest>): ListFile {
  const entries = sortedEntries(list)
  const provenance: Record<string, string[]> = {}
  const ports: Record<string, number[]> = {}
  const feeds = new Set<string>()
  for (const entry of entries) {
    const listed = [...entry.feeds]
    provenance[entry.value] = listed.length === 1 ? listed : listed.sort()
    for (const feed of listed) feeds.add(feed)
    if (!entry.anyPort && entry.ports) ports[entry.value] = [...entry.ports].sort((a, b) => a - b)
  }
  // Licences per contributing feed, not per entry: lists have up to 10⁵ entries.
  const licences = new Set<string>()
  for (const feed of feeds) {
    const manifest = manifests.get(feed)
    if (manifest) licences.add(licenceOf(manifest))
  }
  const file: ListFile = {
    list: list.id,
    ioc: list.ioc,
    class: list.class,
    entries: entries.map((e) => e.value),
    provenance,
    licence: [...licences].sort(),
  }
  if (Object.keys(ports).length > 0) file.ports = ports
  return file
}

function feedReport(feed: LoadedFeed | FailedFeed, included: boolean): FeedReport {
  const { manifest } = feed
  const base = {
    feed: manifest.id,
    title: manifest.title,
    licence: manifest.licence.spdx,
    shippable: manifest.licence.shippable,
    included,
  }
  if ('error' in feed) {
    return {
      ...base,
      files: 0,
      indicators: 0,
      rejectedLines: 0,
      rejectedByReason: {},
      loadMs: 0,
      error: feed.error,
    }
  }
  const report: FeedReport = {
    ...base,
    files: feed.files,
    indicators: feed.indicators.length,
    rejectedLines: feed.errors.length,
    rejectedByReason: countBy(feed.errors, (e) => e.reason),
    loadMs: Math.round(feed.loadMs),
  }
  if (feed.dataTime !== undefined) report.dataTime = new Date(feed.dataTime).toISOString()
  if (feed.dataTimeFrom) report.dataTimeFrom = feed.dataTimeFrom
  if (manifest.format === 'suricata-rules') {
    report.intelRules = feed.intelRules
    report.signatures = feed.signatures.length
    report.untranslatedByReason = countBy(feed.untranslated, (u) => u.reason)
    report.unlicensed = feed.unlicensed.length
    report.notes = feed.notes
  }
  if (Object.keys(feed.skipped).length > 0) report.skipped = feed.skipped
  return report
}

/**
 * Entries held back by the agreement policy are not dropped: they go to an info.* list
 * (`info.unconfirmed.malware.c2.ip`) that rules may use as context but never alert on alone.
 */
function unconfirmedList(list: IntelList, held: readonly HeldBack[]): IntelList {
  const cls = `info.unconfirmed.${list.class}`
  const entries = new Map<string, ListEntry>()
  for (const { value } of held) {
    const entry = list.entries.get(value)
    if (entry) entries.set(value, entry)
  }
  return { id: listIdOf(cls, list.ioc), ioc: list.ioc, class: cls, entries }
}

/** Entries each feed contributes to each list (an entry listed by two feeds counts for both). */
export function contributionsOf(
  lists: readonly ListFile[],
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {}
  for (const list of lists) {
    const counts: Record<string, number> = {}
    for (const feeds of Object.values(list.provenance))
      for (const feed of feeds) counts[feed] = (counts[feed] ?? 0) + 1
    out[list.list] = counts
  }
  return out
}

export function buildPack(input: BuildInput): PackBuild {
  const manifests = new Map(input.feeds.map((f) => [f.manifest.id, f.manifest]))
  const included = input.feeds.filter(
    (f): f is LoadedFeed =>
      !('error' in f) && (f.manifest.licence.shippable || input.includeUnshippable === true),
  )
  const indicators: Indicator[] = []
  for (const feed of included) for (const indicator of feed.indicators) indicators.push(indicator)
  const failed = new Set(input.feeds.filter((f) => 'error' in f).map((f) => f.manifest.id))
  const carried = input.previousLists ? carryForward(input.previousLists, failed) : []
  for (const indicator of carried) indicators.push(indicator)
  const merged = mergeIndicators(indicators)
  const corroboration = buildCorroboration(
    indicators,
    (feed) => manifests.get(feed)?.upstream ?? feed,
  )
  const heldBack: Record<string, HeldBack[]> = {}
  const unconfirmed: IntelList[] = []
  const invalidLists: PackBuild['invalidLists'] = []
  const removedByAllowlist: PackBuild['removedByAllowlist'] = {}
  const removedBySanity: PackBuild['removedBySanity'] = {}
  const origins: Record<string, Record<string, string[]>> | undefined = input.withOrigins
    ? {}
    : undefined
  const lists: ListFile[] = []
  for (const id of [...merged.keys()].sort()) {
    let list = merged.get(id) as IntelList
    if (!isListClass(list.class)) {
      // A mapping bug must not ship a list no rule or portal knows how to present.
      invalidLists.push({
        list: id,
        entries: list.entries.size,
        reason: `class ${list.class} is neither a threat class nor info.*`,
      })
      continue
    }
    const sane = applySanity(list)
    if (sane.removed.length > 0) removedBySanity[id] = sane.removed
    list = sane.list
    if (input.allowlist) {
      const allowed = applyAllowlist(list, input.allowlist)
      if (allowed.removed.length > 0) removedByAllowlist[id] = allowed.removed
      list = allowed.list
    }
    const agreement = input.policy.agreement?.[id]
    if (agreement) {
      const applied = applyAgreement(list, agreement, corroboration)
      if (applied.heldBack.length > 0) {
        heldBack[id] = applied.heldBack
        unconfirmed.push(unconfirmedList(list, applied.heldBack))
      }
      list = applied.list
    }
    lists.push(toListFile(list, manifests))
    if (origins) origins[list.id] = originsOf(list)
  }
  for (const list of unconfirmed) {
    lists.push(toListFile(list, manifests))
    if (origins) origins[list.id] = originsOf(list)
  }
  lists.sort((a, b) => (a.list < b.list ? -1 : 1))
  const signatures = included.flatMap((f) => f.signatures)
  const refusals = input.previousCounts
    ? checkShrink(input.previousCounts, new Map(lists.map((l) => [l.list, l.entries.length])), {
        maxShrink: input.policy.maxShrink,
        perList: input.policy.perListShrink ?? {},
        accepted: input.acceptShrink ?? [],
      })
    : []
  const statuses: FeedStatus[] = input.feeds.map((f) => {
    if ('error' in f) return { feed: f.manifest.id, lastLoad: { at: input.now, error: f.error } }
    const status: FeedStatus = { feed: f.manifest.id, lastLoad: { at: input.now } }
    if (f.dataTime !== undefined) status.dataTime = f.dataTime
    return status
  })
  const schedules = input.feeds.map((f) => {
    const schedule: {
      id: string
      title: string
      updateIntervalHours: number
      staleAfterHours?: number
    } = {
      id: f.manifest.id,
      title: f.manifest.title,
      updateIntervalHours: f.manifest.updateIntervalHours,
    }
    if (f.manifest.staleAfterHours !== undefined)
      schedule.staleAfterHours = f.manifest.staleAfterHours
    return schedule
  })
  const build: PackBuild = {
    lists,
    signatures,
    heldBack,
    refusals,
    invalidLists,
    removedByAllowlist,
    removedBySanity,
    health: feedHealth(schedules, statuses, input.now),
    feeds: input.feeds.map((f) => {
      const report = feedReport(f, included.includes(f as LoadedFeed))
      const count = carried.filter((i) => i.origin.feed === f.manifest.id).length
      if (count > 0) report.carriedForward = count
      return report
    }),
  }
  if (origins) build.origins = origins
  return build
}
