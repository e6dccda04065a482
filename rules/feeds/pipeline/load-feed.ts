// Reads one feed's files as its manifest says and runs the matching importer. Reading is the
// only I/O; a missing or unreadable file makes the whole feed "failed" (reported as data, so the
// build can keep the previous lists and raise an intel.feed health finding).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { parseFeodoIpBlocklist } from '../abusech/feodo-ipblocklist.ts'
import { parseSslblCertificates } from '../abusech/sslbl-certificates.ts'
import { parseSslblJa3 } from '../abusech/sslbl-ja3.ts'
import { parseDisconnectServices } from '../disconnect/disconnect-services.ts'
import type { ContentSignature } from '../et-open/content-signature.ts'
import { parseRulesFile, type UntranslatedRule } from '../et-open/rules-file.ts'
import { classifyTrailFile } from '../maltrail/trail-classes.ts'
import { parseTrailFile } from '../maltrail/trail-file.ts'
import { parseTrailsCsv } from '../maltrail/trails-csv.ts'
import type { Indicator, LineError, SourceText } from '../model/indicator.ts'
import { parseLineList } from '../plain/line-list.ts'
import { parseStixBundle } from '../stix/stix-bundle.ts'
import { dataTimeOfText, parseTimeFile } from './data-time.ts'
import type { FeedManifest } from './feed-manifest.ts'

export interface LoadedFeed {
  manifest: FeedManifest
  indicators: Indicator[]
  errors: LineError[]
  signatures: ContentSignature[]
  untranslated: UntranslatedRule[]
  unlicensed: UntranslatedRule[]
  notes: Record<string, number>
  skipped: Record<string, number>
  /** Suricata rules translated into intel entries. */
  intelRules: number
  files: number
  dataTime?: number
  dataTimeFrom?: 'feed header' | 'time file' | 'file mtime'
  loadMs: number
}

export interface FailedFeed {
  manifest: FeedManifest
  error: string
}

export interface Roots {
  intel: string
  repo: string
}

const EXTENSION_BY_FORMAT: Readonly<Record<string, RegExp>> = {
  'maltrail-trails': /\.txt$/,
  'suricata-rules': /\.rules$/,
  'stix-bundle': /\.json$/,
}

function listFiles(path: string, pattern: RegExp): string[] {
  if (!statSync(path).isDirectory()) return [path]
  return readdirSync(path, { recursive: true, encoding: 'utf8' })
    .filter((name) => pattern.test(name))
    .map((name) => join(path, name))
    .sort()
}

function importFile(manifest: FeedManifest, file: SourceText, into: LoadedFeed, now: number): void {
  const options = manifest.options ?? {}
  switch (manifest.format) {
    case 'maltrail-trails':
      append(into, parseTrailFile(file, classifyTrailFile(file.source)))
      return
    case 'line-list':
      append(
        into,
        parseLineList(file, {
          ioc: options.ioc ?? 'ip',
          class: options.class ?? 'info.unknown',
          label: options.label ?? manifest.title,
        }),
      )
      return
    case 'maltrail-trails-csv':
      append(into, parseTrailsCsv(file))
      return
    case 'sslbl-certificates-csv':
      append(into, parseSslblCertificates(file))
      return
    case 'sslbl-ja3-csv':
      append(into, parseSslblJa3(file))
      return
    case 'feodo-csv':
      append(into, parseFeodoIpBlocklist(file))
      return
    case 'disconnect-services':
      append(into, parseDisconnectServices(file))
      return
    case 'stix-bundle': {
      const result = parseStixBundle(file, { defaultClass: options.class ?? 'malware.c2', now })
      append(into, result)
      for (const [key, count] of Object.entries(result.skipped))
        into.skipped[key] = (into.skipped[key] ?? 0) + count
      return
    }
    case 'suricata-rules': {
      const rulesOptions: { licence: string; shipOnly?: string[] } = {
        licence: options.ruleLicence ?? 'et-sid',
      }
      if (manifest.licence.shipOnly) rulesOptions.shipOnly = manifest.licence.shipOnly
      const result = parseRulesFile(file, rulesOptions)
      append(into, result)
      into.signatures.push(...result.signatures)
      into.untranslated.push(...result.untranslated)
      into.unlicensed.push(...result.unlicensed)
      into.skipped.disabled = (into.skipped.disabled ?? 0) + result.disabled
      into.intelRules += result.intelRules
      for (const [note, count] of Object.entries(result.notes))
        into.notes[note] = (into.notes[note] ?? 0) + count
      return
    }
  }
}

function append(into: LoadedFeed, result: { indicators: Indicator[]; errors: LineError[] }): void {
  // Loop instead of push(...spread): Maltrail yields hundreds of thousands of indicators.
  for (const indicator of result.indicators) into.indicators.push(indicator)
  for (const error of result.errors) into.errors.push(error)
}

/** `now` only affects STIX validity windows. */
export function loadFeed(
  manifest: FeedManifest,
  roots: Roots,
  now: number,
): LoadedFeed | FailedFeed {
  const started = performance.now()
  const root = manifest.source.root === 'intel' ? roots.intel : roots.repo
  const loaded: LoadedFeed = {
    manifest,
    indicators: [],
    errors: [],
    signatures: [],
    untranslated: [],
    unlicensed: [],
    notes: {},
    skipped: {},
    intelRules: 0,
    files: 0,
    loadMs: 0,
  }
  let newestHeader: number | undefined
  let newestMtime = 0
  try {
    for (const path of manifest.source.paths) {
      const absolute = join(root, path)
      const base = statSync(absolute).isDirectory() ? absolute : dirname(absolute)
      for (const file of listFiles(absolute, EXTENSION_BY_FORMAT[manifest.format] ?? /$/)) {
        const text = readFileSync(file, 'utf8')
        loaded.files++
        newestMtime = Math.max(newestMtime, statSync(file).mtimeMs)
        const headerTime = dataTimeOfText(text)
        if (headerTime !== undefined) newestHeader = Math.max(newestHeader ?? 0, headerTime)
        // Maltrail classes depend on the folder: keep `malware/zeus.txt`, not just `zeus.txt`.
        const source =
          manifest.format === 'maltrail-trails'
            ? relative(join(root, 'maltrail/trails/static'), file)
            : relative(base, file)
        importFile(manifest, { feed: manifest.id, source, text }, loaded, now)
      }
    }
    if (manifest.source.timeFile) {
      const time = parseTimeFile(readFileSync(join(root, manifest.source.timeFile), 'utf8'))
      if (time !== undefined) {
        loaded.dataTime = time
        loaded.dataTimeFrom = 'time file'
      }
    }
  } catch (error) {
    return { manifest, error: (error as Error).message }
  }
  if (loaded.dataTime === undefined && newestHeader !== undefined) {
    loaded.dataTime = newestHeader
    loaded.dataTimeFrom = 'feed header'
  } else if (loaded.dataTime === undefined && newestMtime > 0) {
    loaded.dataTime = newestMtime
    loaded.dataTimeFrom = 'file mtime'
  }
  loaded.loadMs = performance.now() - started
  return loaded
}
