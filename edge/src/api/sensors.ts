/**
 * `GET /api/v1/sensors` (the fleet the caller may see: status, last contact, latest health,
 * outdated agents) and `GET /api/v1/sensors/:id` (one sensor plus its 24-hour per-minute
 * health history from its SensorHub). Another tenant's sensor is "not found".
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { authenticate, unauthorizedJson } from '../auth/authenticate.ts'
import type { AppEnv } from '../env.ts'
import { listSensors } from '../sensors/query.ts'

export const sensorsApi = new Hono<AppEnv>()

sensorsApi.use(authenticate({ allowApiToken: true, onMissing: unauthorizedJson }))

sensorsApi.get('/', async (c) => {
  const list = await listSensors(c.get('db'), c.get('principal'), c.env.LATEST_AGENT_VERSION)
  return c.json({ sensors: list, latestAgentVersion: c.env.LATEST_AGENT_VERSION ?? null })
})

sensorsApi.get('/:id{[a-z0-9_-]{3,64}}', async (c) => {
  const id = c.req.param('id')
  const [sensor] = await listSensors(
    c.get('db'),
    c.get('principal'),
    c.env.LATEST_AGENT_VERSION,
    id,
  )
  if (!sensor) throw new HTTPException(404, { message: 'sensor not found' })
  const status = await c.env.SENSOR_HUB.get(c.env.SENSOR_HUB.idFromName(id)).status()
  return c.json({ sensor, history: status.history })
})
