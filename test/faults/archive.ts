/**
 * What the edge holds: every batch the SensorHub accepts is archived in R2 under its boot and
 * seq before it is acknowledged (edge/src/archive), and the edge exposes no count of accepted
 * events. So the archive is the ground truth of "arrived exactly once": a batch retried under
 * the same (boot, seq) overwrites its own copy, while an event sent again under another seq
 * would show up twice. Locally R2 lives in the persist dir as miniflare keeps it: a SQLite index
 * of objects and one file per blob. workerd holds that index locked while it runs: read it with
 * the edge stopped.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { gunzipSync } from 'node:zlib'
import { decodeBatch } from '@socbox/dsl/runtime'

export type ArchivedBatch = {
  key: string
  boot: string
  seq: number
  events: number
  uploadedAt: number
}

type Row = { key: string; blob_id: string; custom_metadata: string; uploaded: number }

function objectIndex(persistDir: string): string | undefined {
  const dir = join(persistDir, 'v3/r2/miniflare-R2BucketObject')
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return undefined // nothing archived yet
  }
  const index = names.find((n) => n.endsWith('.sqlite') && n !== 'metadata.sqlite')
  return index && join(dir, index)
}

function rows(persistDir: string): Row[] {
  const index = objectIndex(persistDir)
  if (!index) return []
  const db = new DatabaseSync(index, { readOnly: true })
  try {
    // The bucket's database exists before its first object, without tables.
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE name = '_mf_objects'").get()
    if (!table) return []
    return db
      .prepare(
        "SELECT key, blob_id, custom_metadata, uploaded FROM _mf_objects WHERE key LIKE 'batches/%'",
      )
      .all() as Row[]
  } finally {
    db.close()
  }
}

/** The archived batches of the bucket (cheap: the index only). */
export function archivedBatches(persistDir: string): ArchivedBatch[] {
  return rows(persistDir).map((r) => {
    const meta = JSON.parse(r.custom_metadata) as { boot: string; seq: string; events: string }
    return {
      key: r.key,
      boot: meta.boot,
      seq: Number(meta.seq),
      events: Number(meta.events),
      uploadedAt: r.uploaded,
    }
  })
}

/** Every event in the archive, decoded from the stored bodies. */
export function archivedEvents(persistDir: string): Record<string, unknown>[] {
  const blobs = join(persistDir, 'v3/r2/socbox-archive/blobs')
  return rows(persistDir).flatMap((r) => {
    const body = gunzipSync(readFileSync(join(blobs, r.blob_id)))
    return decodeBatch(body) as unknown as Record<string, unknown>[]
  })
}
