// One conditional download of a feed file: If-None-Match / If-Modified-Since from the previous
// fetch, a hard timeout, and errors as data (the caller falls back to older data and reports it).

export interface CacheValidators {
  etag?: string
  lastModified?: string
}

export type FetchOutcome =
  | { kind: 'fresh'; body: Uint8Array; validators: CacheValidators; lastModifiedMs?: number }
  | { kind: 'not-modified' }
  | { kind: 'failed'; error: string }

export interface FetchOptions {
  timeoutMs: number
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch
  /** Largest accepted body; feeds above it are refused rather than filling the disk. */
  maxBytes?: number
}

export async function fetchFeed(
  url: string,
  previous: CacheValidators | undefined,
  options: FetchOptions,
): Promise<FetchOutcome> {
  const headers: Record<string, string> = { 'User-Agent': 'socbox-feeds-update/1' }
  if (previous?.etag) headers['If-None-Match'] = previous.etag
  if (previous?.lastModified) headers['If-Modified-Since'] = previous.lastModified
  const doFetch = options.fetch ?? fetch
  try {
    const response = await doFetch(url, {
      headers,
      redirect: 'follow',
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    if (response.status === 304) return { kind: 'not-modified' }
    if (!response.ok) {
      await response.body?.cancel()
      return { kind: 'failed', error: `HTTP ${response.status} ${response.statusText}`.trim() }
    }
    const body = new Uint8Array(await response.arrayBuffer())
    const max = options.maxBytes ?? 512 * 1024 * 1024
    if (body.byteLength > max)
      return { kind: 'failed', error: `body of ${body.byteLength} bytes exceeds ${max}` }
    if (body.byteLength === 0) return { kind: 'failed', error: 'empty body' }
    const validators: CacheValidators = {}
    const etag = response.headers.get('etag')
    const lastModified = response.headers.get('last-modified')
    if (etag) validators.etag = etag
    if (lastModified) validators.lastModified = lastModified
    const outcome: FetchOutcome = { kind: 'fresh', body, validators }
    const ms = lastModified ? Date.parse(lastModified) : Number.NaN
    if (!Number.isNaN(ms)) outcome.lastModifiedMs = ms
    return outcome
  } catch (err) {
    const error = err as Error
    if (error.name === 'TimeoutError')
      return { kind: 'failed', error: `no answer within ${options.timeoutMs} ms` }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    return { kind: 'failed', error: cause?.code ?? cause?.message ?? error.message }
  }
}
