/**
 * Signatures on ingest requests. The agent sends
 *   X-Socbox-Timestamp: <ms since the epoch>
 *   X-Socbox-Signature: v1=<hex HMAC-SHA256(signing key, message)>
 * where message = UTF-8 "v1\n<timestamp>\n<sensor id>\n<boot>\n<seq>\n" followed by the request
 * body bytes exactly as sent (gzipped). Boot and seq are inside the signature, so a captured
 * body cannot be replayed under another position; the timestamp bounds replays in time and the
 * SensorHub's boot/seq dedup makes any replay inside the window a no-op.
 */
import { toHex, utf8 } from './encoding.ts'

export type SignedParts = {
  timestamp: number
  sensorId: string
  boot: string
  seq: number
  body: Uint8Array
}

function message(parts: SignedParts): Uint8Array {
  const head = utf8(`v1\n${parts.timestamp}\n${parts.sensorId}\n${parts.boot}\n${parts.seq}\n`)
  const out = new Uint8Array(head.byteLength + parts.body.byteLength)
  out.set(head, 0)
  out.set(parts.body, head.byteLength)
  return out
}

async function hmacKey(signingKey: Uint8Array, usage: 'sign' | 'verify') {
  return crypto.subtle.importKey('raw', signingKey, { name: 'HMAC', hash: 'SHA-256' }, false, [
    usage,
  ])
}

export async function signBatch(signingKey: Uint8Array, parts: SignedParts): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(signingKey, 'sign'), message(parts))
  return `v1=${toHex(mac)}`
}

/** Constant-time check (WebCrypto's verify) of a `v1=<hex>` signature. */
export async function verifyBatch(
  signingKey: Uint8Array,
  parts: SignedParts,
  signature: string,
): Promise<boolean> {
  const match = /^v1=([0-9a-f]{64})$/.exec(signature)
  if (!match?.[1]) return false
  const mac = new Uint8Array(32)
  for (let i = 0; i < 32; i++) mac[i] = Number.parseInt(match[1].slice(i * 2, i * 2 + 2), 16)
  return crypto.subtle.verify('HMAC', await hmacKey(signingKey, 'verify'), mac, message(parts))
}
