/**
 * Reads an ingest body: at most `maxWireBytes` as sent, gunzipped (DecompressionStream) when it
 * starts with the gzip magic, and at most `maxJsonBytes` once inflated, so a small gzip bomb
 * cannot make the Worker hold a huge string. Both limits answer 413.
 */
import { HTTPException } from 'hono/http-exception'

export type BodyLimits = { maxWireBytes: number; maxJsonBytes: number }

export const DEFAULT_BODY_LIMITS: BodyLimits = {
  maxWireBytes: 4 * 1024 * 1024,
  maxJsonBytes: 64 * 1024 * 1024,
}

function tooLarge(what: string, limit: number): never {
  throw new HTTPException(413, { message: `${what} exceeds ${limit} bytes` })
}

async function collect(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  what: string,
): Promise<Uint8Array> {
  const reader = stream.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel()
      tooLarge(what, limit)
    }
    parts.push(value)
  }
  const out = new Uint8Array(size)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x1f && bytes[1] === 0x8b
}

/** Returns the body as received (`wire`) and the batch JSON bytes (`batch`, UTF-8). */
export async function readBatchBody(request: Request, limits = DEFAULT_BODY_LIMITS) {
  const declared = Number(request.headers.get('Content-Length') ?? '0')
  if (declared > limits.maxWireBytes) tooLarge('request body', limits.maxWireBytes)
  if (!request.body) throw new HTTPException(400, { message: 'empty body: expected a wire batch' })
  const wire = await collect(request.body, limits.maxWireBytes, 'request body')
  if (wire.byteLength === 0) {
    throw new HTTPException(400, { message: 'empty body: expected a wire batch' })
  }
  if (!isGzip(wire)) return { wire, batch: wire }
  const inflated = new Blob([wire]).stream().pipeThrough(new DecompressionStream('gzip'))
  try {
    return { wire, batch: await collect(inflated, limits.maxJsonBytes, 'inflated batch') }
  } catch (err) {
    if (err instanceof HTTPException) throw err
    throw new HTTPException(400, { message: 'body is not valid gzip', cause: err })
  }
}
