/**
 * One hand-made `POST /v1/ingest`, for batches the agent would never send: any body, any
 * credential, signed (the agent's own signer, so a good request is exactly what the agent
 * sends), unsigned, or with the signature headers given outright.
 */
import { gzipSync } from 'node:zlib'
import { signatureHeaders, signerForToken } from '../../sensor-native/src/agent/batch-signature.ts'
import { encodeEvents } from '../../sensor-native/src/run/wire-batch.ts'

export type IngestRequest = {
  url: string
  /** The bearer credential; absent: no Authorization header. */
  token?: string
  boot: string
  seq: number
  body: Uint8Array
  /** Sign with this credential's key at this time (ms); absent: unsigned. */
  signWith?: { token: string; timestamp: number }
  /** Exactly these signature headers (a captured request, replayed). */
  signature?: Record<string, string>
}

export type IngestAnswer = {
  status: number
  error?: string
  reply?: { accepted: number; alerts: number; ack: number; duplicate: boolean }
  /** The signature headers that were sent, to replay them. */
  signature: Record<string, string>
}

export async function postIngest(request: IngestRequest): Promise<IngestAnswer> {
  const position = { boot: request.boot, seq: request.seq }
  let signature = request.signature ?? {}
  if (request.signWith) {
    const signer = signerForToken(request.signWith.token)
    if (!signer) throw new Error('not a sensor credential')
    signature = signatureHeaders(signer, position, request.body, request.signWith.timestamp)
  }
  const res = await fetch(`${request.url}/v1/ingest`, {
    method: 'POST',
    headers: {
      ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
      'content-type': 'application/json',
      'x-socbox-boot': request.boot,
      'x-socbox-seq': String(request.seq),
      ...signature,
    },
    body: request.body,
  })
  const text = await res.text()
  const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {}
  return res.ok
    ? { status: res.status, reply: parsed as IngestAnswer['reply'], signature }
    : { status: res.status, error: String(parsed.error), signature }
}

/** A gzipped wire batch with one Tor2web lookup of `query`: one SB-TOR-0001 alert. */
export function torLookupBatch(query: string): Buffer {
  return gzipSync(JSON.stringify(encodeEvents([torLookup(query)])))
}

export function torLookup(query: string): Record<string, unknown> {
  return {
    kind: 'dns',
    ts: Date.now(),
    flow: `1:${query}`,
    src: { ip: '10.0.0.77', port: 51000, internal: true },
    dst: { ip: '198.51.100.53', port: 53, internal: false },
    query,
    qtype: 'A',
    proto: 'udp',
    hits: [{ list: 'maltrail.onion', field: 'query', indicator: 'onion.to' }],
  }
}
