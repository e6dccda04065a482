/** Bindings of the Worker (see /wrangler.toml) and the per-request variables set by middleware. */
import type { Principal } from './auth/principal.ts'
import type { Database } from './db/client.ts'
import type { SensorHub } from './durable/sensor-hub.ts'
import type { NotifyMessage } from './queue/notify-message.ts'

export interface Env {
  DB: D1Database
  SENSOR_HUB: DurableObjectNamespace<SensorHub>
  NOTIFY: Queue<NotifyMessage>
  ARCHIVE: R2Bucket
  /** Seconds of silence after which a sensor counts as offline. */
  SENSOR_OFFLINE_AFTER_S: string
  ARCHIVE_RETENTION_DAYS: string
  /** Agents older than this are flagged outdated in the portal and API. */
  LATEST_AGENT_VERSION?: string
  /** "true" refuses unsigned ingest from every sensor (otherwise only from sensors that signed). */
  REQUIRE_SIGNED_INGEST?: string
  /** Worker secret (base64, 32 bytes) sealing sensors' signing keys. Absent until configured. */
  SEALING_KEY?: string
}

export type Variables = {
  db: Database
  /** Set by `authenticate` on routes that need a signed-in user or API token. */
  principal: Principal
  /** How the principal proved itself; CSRF applies to sessions only. */
  authMethod: 'session' | 'api_token'
  /** CSRF token of the current session (portal forms embed it). */
  csrfToken: string
}

export type AppEnv = { Bindings: Env; Variables: Variables }
