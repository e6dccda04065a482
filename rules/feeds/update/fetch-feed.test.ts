import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fetchFeed } from './fetch-feed.ts'
import { type LocalFeedServer, startLocalFeedServer } from './local-feed-server.ts'

let server: LocalFeedServer
beforeAll(async () => {
  server = await startLocalFeedServer()
  server.files.set('/list.txt', {
    body: '198.51.100.1\n198.51.100.2\n',
    etag: '"v1"',
    lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
  })
})
afterAll(() => server.close())

describe('fetchFeed (local HTTP server, never the internet)', () => {
  it('downloads a file with its validators and publication time', async () => {
    const outcome = await fetchFeed(server.url('/list.txt'), undefined, { timeoutMs: 5000 })
    expect(outcome.kind).toBe('fresh')
    if (outcome.kind !== 'fresh') return
    expect(new TextDecoder().decode(outcome.body)).toBe('198.51.100.1\n198.51.100.2\n')
    expect(outcome.validators).toEqual({
      etag: '"v1"',
      lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
    })
    expect(outcome.lastModifiedMs).toBe(Date.parse('2026-11-25T10:00:00Z'))
  })

  it('asks conditionally and gets 304 while the file is unchanged', async () => {
    const outcome = await fetchFeed(
      server.url('/list.txt'),
      { etag: '"v1"', lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT' },
      { timeoutMs: 5000 },
    )
    expect(outcome).toEqual({ kind: 'not-modified' })
    const last = server.requests.at(-1)
    expect(last?.headers['if-none-match']).toBe('"v1"')
    expect(last?.headers['if-modified-since']).toBe('Wed, 25 Nov 2026 10:00:00 GMT')
  })

  it('reports an HTTP error, a missing file and an empty body as failures', async () => {
    server.failWith.set('/broken.txt', 503)
    expect(await fetchFeed(server.url('/broken.txt'), undefined, { timeoutMs: 5000 })).toEqual({
      kind: 'failed',
      error: 'HTTP 503 Service Unavailable',
    })
    expect((await fetchFeed(server.url('/missing.txt'), undefined, { timeoutMs: 5000 })).kind).toBe(
      'failed',
    )
    server.files.set('/empty.txt', {
      body: '',
      etag: '"e"',
      lastModified: 'Wed, 25 Nov 2026 10:00:00 GMT',
    })
    expect(await fetchFeed(server.url('/empty.txt'), undefined, { timeoutMs: 5000 })).toEqual({
      kind: 'failed',
      error: 'empty body',
    })
  })

  it('gives up after the timeout when the server does not answer', async () => {
    server.hang.add('/slow.txt')
    const outcome = await fetchFeed(server.url('/slow.txt'), undefined, { timeoutMs: 200 })
    expect(outcome).toEqual({ kind: 'failed', error: 'no answer within 200 ms' })
  })

  it('reports a refused connection', async () => {
    const closed = await startLocalFeedServer()
    const url = closed.url('/list.txt')
    await closed.close()
    const outcome = await fetchFeed(url, undefined, { timeoutMs: 2000 })
    expect(outcome.kind).toBe('failed')
    if (outcome.kind === 'failed') expect(outcome.error).toMatch(/ECONNREFUSED|fetch failed/)
  })
})
