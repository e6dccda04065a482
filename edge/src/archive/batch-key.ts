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
  return `${ARCHIVE_ROOT}/${tenantId}/${sensorId}/${hour}/${boot}-${String(seq).padStart(10, '0')}.json.gz`
}
