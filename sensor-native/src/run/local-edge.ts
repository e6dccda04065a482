/**
 * For tests: a real HTTP server on 127.0.0.1 that behaves like the edge's `/v1/ingest` as far as
 * the agent can tell. It decodes each batch with the edge's own decoder, keeps it once per
 * (boot, seq), answers the highest contiguous seq of the boot, and can be taken down, made busy
 * (503 + Retry-After) or slow, so delivery can be tested against outages.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import { decodeBatch, type SocEvent, WireError } from '@socbox/dsl/runtime'

export type StoredBatch = { boot: string; seq: number; events: SocEvent[]; gap?: string }

export class LocalEdge {
  readonly batches = new Map<string, StoredBatch>()
  requests = 0
  /** Requests to other paths than /v1/ingest (answered 404). */
  otherRequests = 0
  repeats = 0
  busyFor = 0
  delayMs = 0
  /** Up to this much extra random delay per reply, so replies overtake each other. */
  jitterMs = 0
  /** The next this-many replies acknowledge one seq less, as an edge whose storage lags. */
  lagAcks = 0
  /** Answer every request with this status and message (a refused credential, say). */
  refuse: { status: number; error: string } | undefined
  private server: Server | undefined
  private port = 0

  static async start(): Promise<LocalEdge> {
    const edge = new LocalEdge()
    await edge.up()
    return edge
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  /** Every event the edge holds, across boots, each stored batch counted once. */
  events(): SocEvent[] {
    return [...this.batches.values()].flatMap((b) => b.events)
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => this.handle(req, res))
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve))
    this.port = (server.address() as AddressInfo).port
    this.server = server
  }

  /** An outage: the port refuses connections until `up()`. */
  async down(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.url !== '/v1/ingest') {
      // Heartbeats and pack polls have their own test edge (pack-and-heartbeat-edge.ts).
      this.otherRequests++
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":"this test edge serves /v1/ingest only"}')
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      this.requests++
      const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        setTimeout(
          () => {
            res.writeHead(status, { 'content-type': 'application/json', ...headers })
            res.end(JSON.stringify(body))
          },
          this.delayMs + Math.random() * this.jitterMs,
        )
      }
      if (this.refuse) return answer(this.refuse.status, { error: this.refuse.error })
      if (this.busyFor > 0) {
        this.busyFor--
        return answer(503, { error: 'busy' }, { 'retry-after': '1' })
      }
      const boot = String(req.headers['x-socbox-boot'])
      const seq = Number(req.headers['x-socbox-seq'])
      let events: SocEvent[]
      let gap: string | undefined
      try {
        const json = gunzipSync(Buffer.concat(chunks)).toString('utf8')
        events = decodeBatch(json)
        gap = (JSON.parse(json) as { gap?: string }).gap
      } catch (err) {
        // As the real edge: a wire version it does not read is 415, anything else malformed 400.
        const unsupported = err instanceof WireError && err.unsupportedVersion === true
        return answer(unsupported ? 415 : 400, { error: (err as Error).message })
      }
      const key = `${boot}/${seq}`
      if (this.batches.has(key)) this.repeats++
      else this.batches.set(key, { boot, seq, events, ...(gap ? { gap } : {}) })
      let ack = -1
      while (this.batches.has(`${boot}/${ack + 1}`)) ack++
      if (this.lagAcks > 0 && ack >= 0) {
        this.lagAcks--
        ack--
      }
      answer(200, { accepted: events.length, alerts: 0, ack })
    })
  }
}
