/**
 * Posts one gzipped wire batch to the edge's `/v1/ingest`, retrying what is worth retrying.
 * A 4xx other than 408/429 means the batch or the credential is wrong: retrying cannot help, so
 * it fails at once with the edge's own explanation.
 */
import { type BackoffPolicy, backoffDelay, DEFAULT_BACKOFF, retryAfterMs } from './backoff.ts'
import { sensorRequestHeaders, signerForToken } from './batch-signature.ts'

export type IngestTarget = { edge: string; token: string }
export type BatchMeta = { boot: string; seq: number }
export type IngestReply = {
  accepted: number
  alerts: number
  ack: number | null
  [k: string]: unknown
}

export class IngestError extends Error {
  readonly status: number | undefined
  readonly retryable: boolean
  constructor(message: string, status: number | undefined, retryable: boolean) {
    super(message)
    this.name = 'IngestError'
    this.status = status
    this.retryable = retryable
  }
}

export type PostOptions = {
  policy?: BackoffPolicy
  sleep?: (ms: number) => Promise<void>
  onRetry?: (attempt: number, delayMs: number, reason: string) => void
  fetch?: typeof fetch
}

export async function postBatch(
  target: IngestTarget,
  gzipped: Uint8Array,
  meta: BatchMeta,
  options: PostOptions = {},
): Promise<IngestReply> {
  const policy = options.policy ?? DEFAULT_BACKOFF
  const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)))
  const doFetch = options.fetch ?? fetch
  const url = new URL('/v1/ingest', target.edge)
  // A sensor credential also signs each attempt (see batch-signature.ts); other tokens do not.
  const signer = signerForToken(target.token)
  for (let attempt = 1; ; attempt++) {
    let failure: IngestError
    let serverDelay: number | undefined
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-encoding': 'gzip',
          ...sensorRequestHeaders(target.token, signer, meta, gzipped, Date.now()),
        },
        body: gzipped,
      })
      const text = await res.text()
      if (res.ok) return parseReply(text)
      const retryable = res.status >= 500 || res.status === 408 || res.status === 429
      failure = new IngestError(
        `edge answered ${res.status} for batch ${meta.seq}: ${errorText(text)}`,
        res.status,
        retryable,
      )
      serverDelay = retryAfterMs(res.headers.get('retry-after'), Date.now())
    } catch (err) {
      failure = new IngestError(
        `cannot reach the edge at ${url.origin}: ${(err as Error).message}`,
        undefined,
        true,
      )
    }
    if (!failure.retryable || attempt >= policy.maxAttempts) throw failure
    const delay = serverDelay ?? backoffDelay(policy, attempt)
    options.onRetry?.(attempt, delay, failure.message)
    await sleep(delay)
  }
}

function parseReply(text: string): IngestReply {
  const reply = JSON.parse(text) as IngestReply
  if (typeof reply.accepted !== 'number')
    throw new IngestError(`edge sent an unexpected reply: ${text.slice(0, 200)}`, 200, false)
  return reply
}

function errorText(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown }
    const msg = parsed.error ?? parsed.message
    if (typeof msg === 'string') return msg
  } catch {
    // not JSON: show the start of the body as it is
  }
  return body.slice(0, 300) || '(empty body)'
}
