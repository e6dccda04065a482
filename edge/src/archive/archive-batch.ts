/** Stores an accepted batch in R2, gzipped (bodies that came uncompressed are gzipped here). */
import { batchKey } from './batch-key.ts'

async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

export type ArchiveInput = {
  tenantId: string
  sensorId: string
  boot: string
  seq: number
  receivedAt: number
  /** The body as received; gzip when it starts with the gzip magic. */
  wire: Uint8Array
  events: number
}

export async function archiveBatch(bucket: R2Bucket, input: ArchiveInput): Promise<string> {
  const key = batchKey(input.tenantId, input.sensorId, input.receivedAt, input.boot, input.seq)
  const gzipped =
    input.wire[0] === 0x1f && input.wire[1] === 0x8b ? input.wire : await gzip(input.wire)
  await bucket.put(key, gzipped, {
    httpMetadata: { contentType: 'application/json', contentEncoding: 'gzip' },
    customMetadata: { boot: input.boot, seq: String(input.seq), events: String(input.events) },
  })
  return key
}
