/**
 * When the sensor was last heard from, through the fleet API. While wrangler dev runs, the local
 * R2 store is locked by workerd, so this is how a test sees batches arriving in the meantime.
 */
export async function lastSeenAt(url: string, apiToken: string, sensorId: string) {
  const res = await fetch(`${url}/api/v1/sensors/${sensorId}`, {
    headers: { authorization: `Bearer ${apiToken}` },
  })
  if (!res.ok) throw new Error(`GET /api/v1/sensors/${sensorId} answered ${res.status}`)
  const body = (await res.json()) as { sensor: { lastSeenAt: number | null } }
  return body.sensor.lastSeenAt
}
