import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FeedManifest } from '../pipeline/feed-manifest.ts'
import { loadFeed } from '../pipeline/load-feed.ts'
import { type LocalFeedServer, startLocalFeedServer } from './local-feed-server.ts'
import { updateFeeds } from './update-feeds.ts'
import { writeTarGz } from './write-tar-gz.ts'

let server: LocalFeedServer
let dir: string
let snapshot: string
let cache: string
const now = Date.parse('2026-11-27T03:00:00Z')

function lineList(
  id: string,
  path: string,
  url: string,
  extra: Partial<FeedManifest['source']> = {},
): FeedManifest {
  return {
    id,
    title: id,
    upstream: id,
    format: 'line-list',
    source: { root: 'intel', paths: [path], url, ...extra },
    licence: { spdx: 'MIT', text: 'test', shippable: true, reason: 'test' },
    updateIntervalHours: 24,
    options: { ioc: 'ip', class: 'suspicious.tor', label: 'Tor relay' },
  } as FeedManifest
}

let manifests: FeedManifest[]

beforeAll(async () => {
  server = await startLocalFeedServer()
})
afterAll(() => server.close())

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'feeds-update-'))
  snapshot = join(dir, 'snapshot')
  cache = join(dir, 'cache')
  mkdirSync(join(snapshot, 'tor-ip-lists'), { recursive: true })
  mkdirSync(join(snapshot, 'maltrail/trails/static/malware'), { recursive: true })
  writeFileSync(join(snapshot, 'tor-ip-lists/tor-nodes.lst'), '192.0.2.1\n')
  writeFileSync(join(snapshot, 'tor-ip-lists/tor-exit-nodes.lst'), '192.0.2.9\n')
  writeFileSync(join(snapshot, 'tor-ip-lists/Last-Checked-At'), 'Tue Feb 27 09:27:52 IST 2024\n')
  writeFileSync(join(snapshot, 'maltrail/trails/static/malware/x.txt'), 'evil.example\n')
  server.files.set('/tor-nodes.lst', {
    body: '198.51.100.1\n198.51.100.2\n',
    etag: '"n1"',
    lastModified: 'Thu, 26 Nov 2026 12:00:00 GMT',
  })
  server.failWith.clear()
  server.requests.length = 0
  manifests = [
    lineList('tor-nodes', 'tor-ip-lists/tor-nodes.lst', server.url('/tor-nodes.lst'), {
      timeFile: 'tor-ip-lists/Last-Checked-At',
    }),
    {
      ...lineList(
        'maltrail-malware',
        'maltrail/trails/static/malware',
        'https://github.com/stamparm/maltrail/tree/master/trails/static/malware',
      ),
      format: 'maltrail-trails',
    },
    {
      ...lineList('not-shippable', 'tor-ip-lists/tor-exit-nodes.lst', server.url('/nc.lst')),
      licence: { spdx: 'CC-BY-NC-SA-4.0', text: 't', shippable: false, reason: 'non-commercial' },
    },
  ]
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const run = (extra: Partial<Parameters<typeof updateFeeds>[0]> = {}) =>
  updateFeeds({ manifests, snapshot, cache, now, timeoutMs: 2000, ...extra })

describe('updateFeeds (local HTTP server, never the internet)', () => {
  it('downloads direct files, keeps the snapshot for folder pages, and lays out the build folder', async () => {
    const result = await run()
    expect(result.updates).toEqual([
      { feed: 'tor-nodes', source: 'downloaded', detail: '26 bytes' },
      {
        feed: 'maltrail-malware',
        source: 'snapshot',
        detail: 'a repository folder page, not a file (update the snapshot with git)',
      },
    ])
    expect(result.failures).toEqual({})
    expect(server.requests.map((r) => r.path)).toEqual(['/tor-nodes.lst'])
    expect(readFileSync(join(result.intel, 'tor-ip-lists/tor-nodes.lst'), 'utf8')).toBe(
      '198.51.100.1\n198.51.100.2\n',
    )
    expect(readlinkSync(join(result.intel, 'maltrail/trails/static/malware'))).toBe(
      join(snapshot, 'maltrail/trails/static/malware'),
    )
    // The time file tells the download's Last-Modified, which the build takes as the data time.
    expect(readFileSync(join(result.intel, 'tor-ip-lists/Last-Checked-At'), 'utf8')).toBe(
      '2026-11-26T12:00:00.000Z\n',
    )
    const feed = loadFeed(manifests[0] as FeedManifest, { intel: result.intel, repo: dir }, now)
    expect('error' in feed).toBe(false)
    if ('error' in feed) return
    expect(feed.indicators.map((i) => i.value).sort()).toEqual(['198.51.100.1', '198.51.100.2'])
    expect(feed.dataTime).toBe(Date.parse('2026-11-26T12:00:00Z'))
  })

  it('asks conditionally the next time and keeps the cached copy on 304', async () => {
    await run()
    const second = await run({ now: now + 3_600_000 })
    expect(second.updates[0]).toMatchObject({ feed: 'tor-nodes', source: 'not-modified' })
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"n1"')
    expect(readFileSync(join(second.intel, 'tor-ip-lists/tor-nodes.lst'), 'utf8')).toContain(
      '198.51.100.2',
    )
  })

  it('falls back to the last download when the server fails, and reports the failure', async () => {
    await run()
    server.failWith.set('/tor-nodes.lst', 503)
    const result = await run({ now: now + 7_200_000 })
    expect(result.updates[0]).toMatchObject({
      feed: 'tor-nodes',
      source: 'cache',
      error: 'HTTP 503 Service Unavailable',
    })
    expect(result.failures['tor-nodes']).toEqual({
      at: now + 7_200_000,
      error: 'download failed: HTTP 503 Service Unavailable',
    })
    expect(readFileSync(join(result.intel, 'tor-ip-lists/tor-nodes.lst'), 'utf8')).toContain(
      '198.51.100.2',
    )
  })

  it('falls back to the shared snapshot when nothing was downloaded before', async () => {
    server.failWith.set('/tor-nodes.lst', 500)
    const result = await run()
    expect(result.updates[0]).toMatchObject({ feed: 'tor-nodes', source: 'snapshot' })
    expect(result.failures['tor-nodes']?.error).toBe(
      'download failed: HTTP 500 Internal Server Error',
    )
    expect(lstatSync(join(result.intel, 'tor-ip-lists/tor-nodes.lst')).isSymbolicLink()).toBe(true)
    expect(readFileSync(join(result.intel, 'tor-ip-lists/tor-nodes.lst'), 'utf8')).toBe(
      '192.0.2.1\n',
    )
    // The snapshot's own time statement is kept (as ISO), so the build sees how old it is.
    expect(readFileSync(join(result.intel, 'tor-ip-lists/Last-Checked-At'), 'utf8')).toBe(
      '2024-02-27T03:57:52.000Z\n',
    )
  })

  it('offline: asks nobody and uses the last download', async () => {
    await run()
    const before = server.requests.length
    const result = await run({ offline: true })
    expect(server.requests.length).toBe(before)
    expect(result.updates[0]).toMatchObject({ feed: 'tor-nodes', source: 'cache' })
    expect(result.failures).toEqual({})
  })

  describe('archive feeds (.tar.gz with source.archive)', () => {
    const etRules =
      'alert dns any any -> any any (msg:"ET DNS x"; dns.query; content:"evil.example"; sid:2000001;)\n'
    const archiveFeed = (id: string, path: string): FeedManifest => ({
      ...lineList(id, path, server.url('/trails.tar.gz')),
      format: 'maltrail-trails',
      source: {
        root: 'intel',
        paths: [path],
        url: server.url('/trails.tar.gz'),
        archive: { prefix: 'maltrail-master/trails/', into: 'maltrail/trails/' },
      },
    })
    beforeEach(() => {
      server.files.set('/emerging.rules.tar.gz', {
        body: writeTarGz([
          { name: 'rules/', data: '', type: '5' },
          { name: 'rules/emerging-dns.rules', data: etRules },
          { name: 'rules/LICENSE', data: 'BSD\n' },
          { name: 'other/readme.txt', data: 'not a feed file\n' },
        ]),
        etag: '"et1"',
        lastModified: 'Thu, 26 Nov 2026 06:00:00 GMT',
      })
      server.files.set('/trails.tar.gz', {
        body: writeTarGz([
          { name: 'maltrail-master/README.md', data: 'x' },
          { name: 'maltrail-master/trails/static/malware/zeus.txt', data: 'zeus.example\n' },
          { name: 'maltrail-master/trails/static/suspicious/onion.txt', data: 'onion.to\n' },
        ]),
        etag: '"m1"',
        lastModified: 'Wed, 25 Nov 2026 06:00:00 GMT',
      })
      mkdirSync(join(snapshot, 'et-open/rules'), { recursive: true })
      writeFileSync(join(snapshot, 'et-open/rules/emerging-old.rules'), '# old\n')
      manifests = [
        {
          ...lineList('et-open', 'et-open/rules', server.url('/emerging.rules.tar.gz')),
          format: 'suricata-rules',
          source: {
            root: 'intel',
            paths: ['et-open/rules'],
            url: server.url('/emerging.rules.tar.gz'),
            archive: { prefix: 'rules/', into: 'et-open/rules/' },
          },
        },
        archiveFeed('maltrail-malware', 'maltrail/trails/static/malware'),
        archiveFeed('maltrail-suspicious', 'maltrail/trails/static/suspicious'),
      ]
    })

    it('unpacks the files under the manifest paths and links the build folder to them', async () => {
      const result = await run()
      expect(result.updates.map((u) => [u.feed, u.source])).toEqual([
        ['et-open', 'downloaded'],
        ['maltrail-malware', 'downloaded'],
        ['maltrail-suspicious', 'downloaded'],
      ])
      expect(readFileSync(join(result.intel, 'et-open/rules/emerging-dns.rules'), 'utf8')).toBe(
        etRules,
      )
      expect(readFileSync(join(result.intel, 'et-open/rules/LICENSE'), 'utf8')).toBe('BSD\n')
      // The archive replaces the snapshot's folder: no old file, nothing outside the paths.
      expect(() => readFileSync(join(result.intel, 'et-open/rules/emerging-old.rules'))).toThrow()
      expect(
        readFileSync(join(result.intel, 'maltrail/trails/static/malware/zeus.txt'), 'utf8'),
      ).toBe('zeus.example\n')
      expect(
        readFileSync(join(result.intel, 'maltrail/trails/static/suspicious/onion.txt'), 'utf8'),
      ).toBe('onion.to\n')
      // One archive, two feeds: downloaded once.
      expect(server.requests.filter((r) => r.path === '/trails.tar.gz')).toHaveLength(1)
      const feed = loadFeed(manifests[1] as FeedManifest, { intel: result.intel, repo: dir }, now)
      if ('error' in feed) throw new Error(feed.error)
      expect(feed.indicators.map((i) => i.value)).toEqual(['zeus.example'])
      expect(feed.dataTime).toBe(Date.parse('2026-11-25T06:00:00Z'))
    })

    it('keeps the unpacked copy on 304', async () => {
      await run()
      const second = await run({ now: now + 3_600_000 })
      expect(second.updates[0]).toMatchObject({ feed: 'et-open', source: 'not-modified' })
      expect(readFileSync(join(second.intel, 'et-open/rules/emerging-dns.rules'), 'utf8')).toBe(
        etRules,
      )
    })

    it('a damaged archive is a failure: the last good copy (or the snapshot) stays', async () => {
      server.files.set('/emerging.rules.tar.gz', {
        body: 'this is no archive',
        etag: '"bad"',
        lastModified: 'Thu, 26 Nov 2026 07:00:00 GMT',
      })
      const result = await run()
      expect(result.updates[0]).toMatchObject({ feed: 'et-open', source: 'snapshot' })
      expect(result.failures['et-open']?.error).toMatch(/^download failed: archive: not a gzip/)
      expect(readFileSync(join(result.intel, 'et-open/rules/emerging-old.rules'), 'utf8')).toBe(
        '# old\n',
      )
    })

    it('an archive without the manifest paths is a failure, not an empty feed', async () => {
      server.files.set('/emerging.rules.tar.gz', {
        body: writeTarGz([{ name: 'other/x.rules', data: etRules }]),
        etag: '"e2"',
        lastModified: 'Thu, 26 Nov 2026 07:00:00 GMT',
      })
      const result = await run()
      expect(result.failures['et-open']?.error).toBe(
        'download failed: archive: no member under rules/ maps to et-open/rules',
      )
    })
  })

  it('fetches every file of a feed that names more URLs, each with its own cache state', async () => {
    mkdirSync(join(snapshot, 'abusech/rules'), { recursive: true })
    writeFileSync(join(snapshot, 'abusech/rules/feodo.rules'), '# snapshot feodo\n')
    server.files.set('/sslbl.rules', {
      body: '# sslbl\n',
      etag: '"s1"',
      lastModified: 'Thu, 26 Nov 2026 01:00:00 GMT',
    })
    server.files.set('/feodo.rules', {
      body: '# feodo\n',
      etag: '"f1"',
      lastModified: 'Thu, 26 Nov 2026 02:00:00 GMT',
    })
    manifests = [
      {
        ...lineList(
          'abusech-suricata-rules',
          'abusech/rules/sslbl.rules',
          server.url('/sslbl.rules'),
        ),
        format: 'suricata-rules',
        source: {
          root: 'intel',
          paths: ['abusech/rules/sslbl.rules', 'abusech/rules/feodo.rules'],
          url: server.url('/sslbl.rules'),
          moreUrls: { 'abusech/rules/feodo.rules': server.url('/feodo.rules') },
        },
      },
    ]
    const first = await run()
    expect(first.updates.map((u) => [u.feed, u.source])).toEqual([
      ['abusech-suricata-rules', 'downloaded'],
      ['abusech-suricata-rules', 'downloaded'],
    ])
    expect(readFileSync(join(first.intel, 'abusech/rules/feodo.rules'), 'utf8')).toBe('# feodo\n')
    server.failWith.set('/feodo.rules', 502)
    const second = await run({ now: now + 3_600_000 })
    expect(second.updates.map((u) => u.source)).toEqual(['not-modified', 'cache'])
    expect(second.failures['abusech-suricata-rules']?.error).toBe(
      'download failed: HTTP 502 Bad Gateway',
    )
    expect(readFileSync(join(second.intel, 'abusech/rules/feodo.rules'), 'utf8')).toBe('# feodo\n')
  })
})
