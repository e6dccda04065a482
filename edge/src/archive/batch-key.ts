/**
 * Where an accepted batch lives in R2: per tenant, sensor and UTC hour, so a retro-hunt over a
 * time range lists only the hours it needs, and retention deletes whole hour prefixes.
 * `batches/<tenant>/<sensor>/YYYY/MM/DD/HH/<boot>-<seq>.json.gz`; boot and seq make the key
 * unique and a retried batch overwrite its own copy.
 */
export const ARCHIVE_ROOT = 'batches'

export function batchKey(
  tenantId: string,
  sensorId: string,
  receivedAt: number,
  boot: string,
  seq: number,
): string {
  const d = new Date(receivedAt)
  const hour = [
    d.getUTCFullYear(),
    String(d.getUTCMonth() + 1).padStart(2, '0'),
    String(d.getUTCDate()).padStart(2, '0'),
    String(d.getUTCHours()).padStart(2, '0'),
  ].join('/')
  return `${sensorPrefix(tenantId, sensorId)}${hour}/${boot}-${String(seq).padStart(10, '0')}.json.gz`
}

/** The start of the UTC hour a batch key belongs to (ms), or null for a key of another shape. */
export function hourOfKey(key: string): number | null {
  const match = /\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})\/[^/]+$/.exec(key)
  if (!match) return null
  const [, y, m, d, h] = match.map(Number) as [number, number, number, number, number]
  return Date.UTC(y, m - 1, d, h)
}

export function sensorPrefix(tenantId: string, sensorId: string): string {
  return `${ARCHIVE_ROOT}/${tenantId}/${sensorId}/`
}
