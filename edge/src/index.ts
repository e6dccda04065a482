/** Worker entry: HTTP (Hono app), cron and queue handlers, and the Durable Object classes. */
import { app } from './app.ts'
import { scheduled } from './cron/scheduled.ts'
import type { Env } from './env.ts'
import { queue } from './queue/consume.ts'

export { SensorHub } from './durable/sensor-hub.ts'

export default {
  fetch: app.fetch,
  scheduled,
  queue,
} satisfies ExportedHandler<Env, unknown>
