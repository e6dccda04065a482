// `npm run feeds:update`, the download half: fetch each shippable feed's production URL into a
// cache (conditional requests, timeouts), then lay out an intel folder for the feed build in
// which every manifest path points at the freshest data there is: the new download, else the
// last good download, else the shared snapshot. Failures are reported per feed, never fatal.
import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { parseTimeFile } from '../pipeline/data-time.ts'
import type { FeedManifest } from '../pipeline/feed-manifest.ts'
import { downloadTarget } from './download-target.ts'
import { type CacheValidators, fetchFeed } from './fetch-feed.ts'
import { readTarGz } from './read-tar-gz.ts'

export interface UpdateOptions {
  manifests: readonly FeedManifest[]
  /** The shared snapshot (../shared/data/intel): the fallback for everything. */
  snapshot: string
  /** Cache folder: files/<path> (downloads), meta.json, intel/ (the folder for the build). */
  cache: string
  now: number
  timeoutMs: number
  /** Use what is cached without asking the network. */
  offline?: boolean
  fetch?: typeof fetch
  log?: (line: string) => void
}

export type FeedSource = 'downloaded' | 'not-modified' | 'cache' | 'snapshot'

export interface FeedUpdate {
  feed: string
  source: FeedSource
  detail: string
  error?: string
}

interface CacheMeta {
  url: string
  path: string
  validators: CacheValidators
  /** Publication time of the cached data: Last-Modified, else the download time. */
  dataTime: number
  fetchedAt: number
  checkedAt: number
}

export interface UpdateResult {
  /** The intel folder to pass to the feed build (`--intel`). */
  intel: string
  updates: FeedUpdate[]
  failures: Record<string, { at: number; error: string }>
}

function readMeta(file: string): Record<string, CacheMeta> {
  if (!existsSync(file)) return {}
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, CacheMeta>
  } catch {
    return {} // a damaged cache only costs a full download
  }
}

function writeAtomically(file: string, data: Uint8Array | string) {
  mkdirSync(dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

export async function updateFeeds(options: UpdateOptions): Promise<UpdateResult> {
  const log = options.log ?? (() => {})
  const cache = resolve(options.cache)
  const metaFile = join(cache, 'meta.json')
  const meta = readMeta(metaFile)
  const updates: FeedUpdate[] = []
  const failures: UpdateResult['failures'] = {}
  // Which manifest paths are served from the cache, and the data time of that copy.
  const fromCache = new Map<string, number>()
  const fetchedThisRun = new Map<string, Awaited<ReturnType<typeof fetchFeed>>>()

  // One download: the manifest's `url` (meta key = feed id), or one of its `moreUrls` (meta key
  // `id#path`); fromCache, updates and failures gather what each gave.
  const updateTarget = async (
    manifest: FeedManifest,
    key: string,
    url: string,
    target: { path: string } | { archive: { prefix: string; into: string } },
  ): Promise<void> => {
    const cached = meta[key]
    // What the build reads from the cache: the file, or the manifest's paths from an archive.
    const archive = 'archive' in target ? target.archive : undefined
    const cachedPaths = 'path' in target ? [target.path] : manifest.source.paths
    const cachedFile = join(
      cache,
      'files',
      'path' in target ? target.path : join('.archives', `${manifest.id}.tar.gz`),
    )
    const haveCache =
      cached !== undefined &&
      cached.url === url &&
      existsSync(cachedFile) &&
      cachedPaths.every((p) => existsSync(join(cache, 'files', p)))
    const useCache = (time: number) => {
      for (const p of cachedPaths) if (existsSync(join(cache, 'files', p))) fromCache.set(p, time)
    }
    const fallBack = (error: string) => {
      failures[manifest.id] = { at: options.now, error: `download failed: ${error}` }
      if (haveCache) {
        useCache(cached.dataTime)
        updates.push({
          feed: manifest.id,
          source: 'cache',
          detail: `kept the download of ${new Date(cached.fetchedAt).toISOString()}`,
          error,
        })
      } else {
        updates.push({
          feed: manifest.id,
          source: 'snapshot',
          detail: 'no earlier download; the shared snapshot is used',
          error,
        })
      }
    }
    if (options.offline) {
      if (haveCache) {
        useCache(cached.dataTime)
        updates.push({
          feed: manifest.id,
          source: 'cache',
          detail: 'offline: the last download is used',
        })
      } else {
        updates.push({
          feed: manifest.id,
          source: 'snapshot',
          detail: 'offline: no download yet, the shared snapshot is used',
        })
      }
      return
    }
    // Feeds cut from one archive (Maltrail's four trail folders) download it once per update.
    const outcome =
      fetchedThisRun.get(url) ??
      (await fetchFeed(url, haveCache ? cached.validators : undefined, {
        timeoutMs: options.timeoutMs,
        ...(options.fetch ? { fetch: options.fetch } : {}),
      }))
    if (outcome.kind === 'fresh') fetchedThisRun.set(url, outcome)
    if (outcome.kind === 'failed') {
      log(`FAILED  ${manifest.id}: ${url}: ${outcome.error}`)
      fallBack(outcome.error)
      return
    }
    if (outcome.kind === 'not-modified') {
      if (!haveCache) {
        fallBack('304 Not Modified without a cached copy')
        return
      }
      meta[key] = { ...cached, checkedAt: options.now }
      useCache(cached.dataTime)
      updates.push({
        feed: manifest.id,
        source: 'not-modified',
        detail: 'unchanged since the last download',
      })
      log(`same    ${manifest.id}`)
      return
    }
    const dataTime = outcome.lastModifiedMs ?? options.now
    if (archive) {
      const problem = unpackArchive(outcome.body, archive, manifest, cache, dataTime)
      if (problem !== undefined) {
        log(`FAILED  ${manifest.id}: ${url}: ${problem}`)
        fallBack(problem)
        return
      }
    }
    writeAtomically(cachedFile, outcome.body)
    // The file's mtime is the build's last resort for the data time: make it the publication time.
    utimesSync(cachedFile, new Date(options.now), new Date(dataTime))
    meta[key] = {
      url: url,
      path: 'path' in target ? target.path : manifest.source.paths.join(','),
      validators: outcome.validators,
      dataTime,
      fetchedAt: options.now,
      checkedAt: options.now,
    }
    useCache(dataTime)
    updates.push({
      feed: manifest.id,
      source: 'downloaded',
      detail: `${outcome.body.byteLength} bytes${archive ? ` (archive, ${cachedPaths.length} path(s) unpacked)` : ''}`,
    })
    log(`fetched ${manifest.id}: ${outcome.body.byteLength} bytes`)
  }

  for (const manifest of options.manifests) {
    if (!manifest.licence.shippable) continue
    const target = downloadTarget(manifest)
    if ('skip' in target) {
      updates.push({ feed: manifest.id, source: 'snapshot', detail: target.skip })
      continue
    }
    await updateTarget(manifest, manifest.id, manifest.source.url, target)
    // Feeds of several files (abuse.ch's Suricata rules) name the others' URLs per snapshot path.
    for (const [path, url] of Object.entries(manifest.source.moreUrls ?? {}))
      await updateTarget(manifest, `${manifest.id}#${path}`, url, { path })
  }
  writeAtomically(metaFile, `${JSON.stringify(meta, null, 2)}\n`)

  // The build's intel folder: links to the cache or to the snapshot, path by path.
  const intel = join(cache, 'intel')
  rmSync(intel, { recursive: true, force: true })
  const timeFiles = new Map<string, number>()
  for (const manifest of options.manifests) {
    if (manifest.source.root !== 'intel') continue
    let cachedTime: number | undefined
    for (const path of manifest.source.paths) {
      const link = join(intel, path)
      if (existsSync(link)) continue
      mkdirSync(dirname(link), { recursive: true })
      const time = fromCache.get(path)
      if (time !== undefined) {
        cachedTime = Math.min(cachedTime ?? time, time)
        symlinkSync(join(cache, 'files', path), link)
      } else if (existsSync(join(options.snapshot, path))) {
        symlinkSync(resolve(options.snapshot, path), link)
      }
    }
    const timeFile = manifest.source.timeFile
    if (timeFile === undefined) continue
    if (cachedTime === undefined) {
      const snapshotTime = join(options.snapshot, timeFile)
      if (!existsSync(snapshotTime)) continue
      cachedTime = parseTimeFile(readFileSync(snapshotTime, 'utf8'))
      if (cachedTime === undefined) continue
    }
    // A time file shared by feeds tells the oldest of their data times (errs towards "stale").
    const time = Math.min(timeFiles.get(timeFile) ?? cachedTime, cachedTime)
    timeFiles.set(timeFile, time)
  }
  for (const [timeFile, time] of timeFiles)
    writeAtomically(join(intel, timeFile), `${new Date(time).toISOString()}\n`)
  return { intel, updates, failures }
}

/**
 * Unpacks the members of a downloaded `.tar.gz` that the manifest's paths need into the cache
 * (`files/<path>`), replacing the previous copy only when the whole archive was read. Returns a
 * problem as text, or undefined.
 */
function unpackArchive(
  body: Uint8Array,
  archive: { prefix: string; into: string },
  manifest: FeedManifest,
  cache: string,
  dataTime: number,
): string | undefined {
  const tar = readTarGz(body)
  if ('error' in tar) return `archive: ${tar.error}`
  const staging = join(cache, 'files', `.staging-${manifest.id}`)
  rmSync(staging, { recursive: true, force: true })
  const wanted = (rel: string) =>
    manifest.source.paths.some((p) => rel === p || rel.startsWith(`${p}/`))
  let taken = 0
  for (const file of tar.files) {
    if (!file.name.startsWith(archive.prefix)) continue
    const rel = archive.into + file.name.slice(archive.prefix.length)
    if (!wanted(rel)) continue
    const out = join(staging, rel)
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, file.data)
    utimesSync(out, new Date(dataTime), new Date(dataTime))
    taken++
  }
  if (taken === 0) {
    rmSync(staging, { recursive: true, force: true })
    return `archive: no member under ${archive.prefix} maps to ${manifest.source.paths.join(', ')}`
  }
  for (const p of manifest.source.paths) {
    if (!existsSync(join(staging, p))) continue
    const target = join(cache, 'files', p)
    rmSync(target, { recursive: true, force: true })
    mkdirSync(dirname(target), { recursive: true })
    renameSync(join(staging, p), target)
  }
  rmSync(staging, { recursive: true, force: true })
  return undefined
}
