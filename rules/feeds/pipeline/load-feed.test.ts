import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FeedManifest } from './feed-manifest.ts'
import { loadFeed } from './load-feed.ts'

const root = mkdtempSync(join(tmpdir(), 'socbox-load-feed-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function put(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), text)
}

function manifest(
  format: FeedManifest['format'],
  paths: string[],
  extra: Partial<FeedManifest> = {},
): FeedManifest {
  return {
    id: 'test',
    title: 'Test feed',
    upstream: 'test',
    format,
    source: { root: 'intel', paths, url: 'https://example.org' },
    licence: { spdx: 'MIT', text: 'MIT', shippable: true, reason: 'test' },
    updateIntervalHours: 24,
    ...extra,
  }
}

const roots = { intel: root, repo: root }
const now = Date.parse('2026-01-01T00:00:00Z')

describe('loadFeed', () => {
  put('maltrail/trails/static/malware/zeus.txt', 'zeus.example\n')
  put('maltrail/trails/static/malicious/ek_rig.txt', 'rig.example\nnot valid\n')
  put('maltrail/trails/static/notes.md', 'not a trail file\n')
  put(
    'abusech/feodo.csv',
    '# Last updated: 2024-04-04 07:03:03 UTC\n"2024-01-01 00:00:00","192.0.2.1","443","online","2024-01-01","Pikabot"\n',
  )
  put('tor/exits.lst', '192.0.2.9\n')
  put('tor/Last-Checked-At', 'Tue Feb 27 09:27:52 IST 2024\n')

  it('reads a folder recursively, classifying trails by their path under trails/static', () => {
    const feed = loadFeed(manifest('maltrail-trails', ['maltrail/trails/static']), roots, now)
    if ('error' in feed) throw new Error(feed.error)
    expect(feed.files).toBe(2) // notes.md is not a trail file
    expect(feed.indicators.map((i) => [i.value, i.class, i.origin.source])).toEqual([
      ['rig.example', 'site.exploit', 'malicious/ek_rig.txt'],
      ['zeus.example', 'malware.c2', 'malware/zeus.txt'],
    ])
    expect(feed.errors.map((e) => [e.source, e.line])).toEqual([['malicious/ek_rig.txt', 2]])
    expect(feed.dataTimeFrom).toBe('file mtime')
  })

  it('prefers the time a feed states: its header, or a time file', () => {
    const feodo = loadFeed(manifest('feodo-csv', ['abusech/feodo.csv']), roots, now)
    if ('error' in feodo) throw new Error(feodo.error)
    expect([feodo.dataTime, feodo.dataTimeFrom]).toEqual([
      Date.parse('2024-04-04T07:03:03Z'),
      'feed header',
    ])
    const tor = loadFeed(
      manifest('line-list', ['tor/exits.lst'], {
        source: {
          root: 'intel',
          paths: ['tor/exits.lst'],
          url: 'https://example.org',
          timeFile: 'tor/Last-Checked-At',
        },
        options: { ioc: 'ip', class: 'suspicious.tor', label: 'Tor exit' },
      }),
      roots,
      now,
    )
    if ('error' in tor) throw new Error(tor.error)
    expect([tor.dataTime, tor.dataTimeFrom, tor.indicators[0]?.class]).toEqual([
      Date.parse('2024-02-27T03:57:52Z'),
      'time file',
      'suspicious.tor',
    ])
  })

  it('reports a feed whose files are missing as failed, not as empty', () => {
    const feed = loadFeed(manifest('feodo-csv', ['abusech/missing.csv']), roots, now)
    expect('error' in feed && feed.error).toMatch(/^ENOENT/)
  })
})
