/**
 * For tests: a real HTTP server on 127.0.0.1 that answers `/v1/heartbeat` and `/v1/pack` the way
 * the edge does (edge/src/health/route.ts, edge/src/pack/route.ts). It checks the bearer token
 * and the request signature itself, from the scheme the edge documents, so a signing mistake in
 * the agent fails here; numbers heartbeats per boot (an old seq is stale); serves the pack with
 * its ETag and answers 304 to a matching If-None-Match. The pack bytes can be tampered with.
 */
import { createHash, createHmac } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type PolicyIR, packTag, policyContent } from '@socbox/dsl/runtime'

export type ReceivedHeartbeat = { boot: string; seq: number; body: Record<string, unknown> }
export type ServedPack = {
  v: 1
  version: string
  hash: string
  rules: unknown[]
  plan: unknown
  policies?: PolicyIR[]
  policyHash?: string
}

export class PackAndHeartbeatEdge {
  readonly heartbeats: ReceivedHeartbeat[] = []
  readonly refused: string[] = []
  packRequests = 0
  notModified = 0
  /** The pack served; built with a correct hash by `setPack`. */
  pack: ServedPack | undefined
  /** Replaces the served body's bytes (a tampered or damaged pack). */
  tamper: ((body: string) => string) | undefined
  private server: Server | undefined
  private readonly token: string

  constructor(token: string) {
    this.token = token
  }

  static async start(token: string): Promise<PackAndHeartbeatEdge> {
    const edge = new PackAndHeartbeatEdge(token)
    const server = createServer((req, res) => edge.handle(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    edge.server = server
    return edge
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | undefined
    return `http://127.0.0.1:${address?.port ?? 0}`
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => this.server?.close(() => resolve()))
  }

  /** Serves a pack with this version and plan, hashed as the edge's pack compiler does. */
  setPack(
    version: string,
    plan: unknown,
    rules: unknown[] = [],
    policies: PolicyIR[] = [],
  ): ServedPack {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')
    const hash = sha256(JSON.stringify({ rules, plan }))
    const content = policyContent({ policies })
    this.pack = {
      v: 1,
      version,
      hash,
      rules,
      plan,
      ...(content ? { policies, policyHash: sha256(content) } : {}),
    }
    return this.pack
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const reply = (status: number, json: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers })
        res.end(json === undefined ? undefined : JSON.stringify(json))
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        this.refused.push('token')
        return reply(401, { error: 'unknown sensor token' })
      }
      if (req.method === 'GET' && req.url === '/v1/pack') return this.servePack(req, res)
      if (req.method !== 'POST' || req.url !== '/v1/heartbeat') return reply(404, { error: 'no' })
      const boot = String(req.headers['x-socbox-boot'])
      const seq = Number(req.headers['x-socbox-seq'])
      const problem = this.signatureProblem(req, boot, seq, body)
      if (problem) {
        this.refused.push(problem)
        return reply(401, { error: problem })
      }
      const last = this.heartbeats.filter((h) => h.boot === boot).at(-1)
      if (last && seq <= last.seq) return reply(200, { status: 'stale', alerts: 0 })
      this.heartbeats.push({ boot, seq, body: JSON.parse(body.toString('utf8')) })
      reply(200, { status: 'accepted', alerts: 0 })
    })
  }

  private servePack(req: IncomingMessage, res: ServerResponse): void {
    this.packRequests++
    if (!this.pack) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end('{"error":"no pack"}')
      return
    }
    const etag = `"${packTag(this.pack)}"`
    const headers = { etag, 'x-socbox-pack-version': this.pack.version }
    if (req.headers['if-none-match'] === etag) {
      this.notModified++
      res.writeHead(304, headers)
      res.end()
      return
    }
    const text = JSON.stringify(this.pack)
    res.writeHead(200, { 'content-type': 'application/json', ...headers })
    res.end(this.tamper ? this.tamper(text) : text)
  }

  /** Checks `X-Socbox-Signature` as the edge defines it; a reason when it does not hold. */
  private signatureProblem(req: IncomingMessage, boot: string, seq: number, body: Buffer) {
    const [, sensor, secret] = this.token.split('.')
    const ts = String(req.headers['x-socbox-timestamp'])
    if (Math.abs(Date.now() - Number(ts)) > 300_000) return 'timestamp outside the window'
    const key = createHmac('sha256', secret ?? '')
      .update('socbox-sign-v1')
      .digest()
    const mac = createHmac('sha256', key)
      .update(`v1\n${ts}\n${sensor}\n${boot}\n${seq}\n`)
      .update(body)
      .digest('hex')
    return req.headers['x-socbox-signature'] === `v1=${mac}` ? undefined : 'bad signature'
  }
}
