import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { signatureHeaders, signerForToken } from './batch-signature.ts'
import { IngestError, postBatch } from './ingest-client.ts'

type Handler = (req: IncomingMessage, body: Buffer, res: ServerResponse) => void
let close: (() => void) | undefined
afterEach(() => close?.())

/** A real HTTP server on loopback, answering with the given handlers in turn. */
async function edge(handlers: Handler[]): Promise<{ url: string; seen: Buffer[] }> {
  const seen: Buffer[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      seen.push(body)
      const handler = handlers[Math.min(seen.length, handlers.length) - 1] as Handler
      handler(req, body, res)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  close = () => server.close()
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen }
}

const ok: Handler = (req, _body, res) => {
  res.setHeader('content-type', 'application/json')
  res.end(JSON.stringify({ accepted: 2, alerts: 1, ack: Number(req.headers['x-socbox-seq']) }))
}
const noSleep = { sleep: async () => {}, policy: { baseMs: 1, capMs: 2, maxAttempts: 3 } }
const body = gzipSync(Buffer.from('{"v":1,"n":0,"groups":[]}'))

describe('postBatch', () => {
  it('sends the gzipped batch with its credential, boot and sequence', async () => {
    let headers: IncomingMessage['headers'] = {}
    const e = await edge([
      (req, b, res) => {
        headers = req.headers
        ok(req, b, res)
      },
    ])
    const reply = await postBatch({ edge: e.url, token: 'sbs1.x.y' }, body, { boot: 'b1', seq: 7 })
    expect(reply).toEqual({ accepted: 2, alerts: 1, ack: 7 })
    expect(headers.authorization).toBe('Bearer sbs1.x.y')
    expect(headers['x-socbox-boot']).toBe('b1')
    expect(gunzipSync(e.seen[0] as Buffer).toString()).toBe('{"v":1,"n":0,"groups":[]}')
  })

  it('retries a 503 and honours Retry-After', async () => {
    const waits: number[] = []
    const e = await edge([
      (_req, _b, res) => {
        res.statusCode = 503
        res.setHeader('retry-after', '2')
        res.end('busy')
      },
      ok,
    ])
    const reply = await postBatch(
      { edge: e.url, token: 't' },
      body,
      { boot: 'b', seq: 1 },
      {
        ...noSleep,
        sleep: async (ms) => {
          waits.push(ms)
        },
      },
    )
    expect(reply.accepted).toBe(2)
    expect(waits).toEqual([2000])
    expect(e.seen).toHaveLength(2)
  })

  it('fails at once on a 400, with the edge explanation', async () => {
    const e = await edge([
      (_req, _b, res) => {
        res.statusCode = 400
        res.end(JSON.stringify({ error: 'group 0 column ts has 3 entries, expected 2' }))
      },
    ])
    const err = await postBatch(
      { edge: e.url, token: 't' },
      body,
      { boot: 'b', seq: 1 },
      noSleep,
    ).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(IngestError)
    expect((err as IngestError).message).toContain('400')
    expect((err as IngestError).message).toContain('column ts has 3 entries')
    expect(e.seen).toHaveLength(1)
  })

  it('gives up after the last attempt when the edge is unreachable', async () => {
    const err = await postBatch(
      { edge: 'http://127.0.0.1:9', token: 't' },
      body,
      { boot: 'b', seq: 1 },
      noSleep,
    ).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(IngestError)
    expect((err as IngestError).retryable).toBe(true)
    expect((err as IngestError).message).toMatch(/cannot reach the edge/)
  })

  it('signs each attempt when the token is a sensor credential, with a fresh timestamp', async () => {
    const seen: IncomingMessage['headers'][] = []
    const e = await edge([
      (req, _b, res) => {
        seen.push(req.headers)
        res.statusCode = 503
        res.end('busy')
      },
      (req, b, res) => {
        seen.push(req.headers)
        ok(req, b, res)
      },
    ])
    const token = `sbs1.sen_0123456789abcdef.${'A'.repeat(43)}`
    await postBatch(
      { edge: e.url, token },
      body,
      { boot: 'b', seq: 3 },
      {
        ...noSleep,
        sleep: () => new Promise((r) => setTimeout(r, 5)),
      },
    )
    const signer = signerForToken(token)
    expect(seen).toHaveLength(2)
    for (const h of seen) {
      const ts = Number(h['x-socbox-timestamp'])
      const expected = signer && signatureHeaders(signer, { boot: 'b', seq: 3 }, body, ts)
      expect(h['x-socbox-signature']).toBe(expected?.['x-socbox-signature'])
    }
    expect(seen[1]?.['x-socbox-timestamp']).not.toBe(seen[0]?.['x-socbox-timestamp'])
  })
})
