/**
 * D1 schema (drizzle). The SQL in `edge/migrations/` is the source of what exists in the
 * database; this file mirrors it for typed queries. Change both together.
 *
 * Every row that belongs to a customer carries `tenant_id`, and every query that reads such
 * rows is scoped through `scope.ts`. Times are integer milliseconds since the epoch (UTC).
 */
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'

export const roles = [
  'provider_analyst',
  'partner_admin',
  'customer_admin',
  'customer_viewer',
] as const
export type Role = (typeof roles)[number]

export const locales = ['en', 'ja'] as const
export type Locale = (typeof locales)[number]

export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const
export type Severity = (typeof severities)[number]

export const alertStatuses = ['new', 'ack', 'closed'] as const
export type AlertStatus = (typeof alertStatuses)[number]

export const sensorStatuses = ['pending', 'online', 'offline'] as const
export type SensorStatus = (typeof sensorStatuses)[number]

/** Resellers. A partner sees and supports its own customers (tenants). */
export const partners = sqliteTable('partners', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  createdAt: integer('created_at').notNull(),
})

/** Customers. Each belongs to exactly one partner. */
export const tenants = sqliteTable(
  'tenants',
  {
    id: text('id').primaryKey(),
    partnerId: text('partner_id')
      .notNull()
      .references(() => partners.id),
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull(),
    /** Sustained traffic above this for 5 minutes raises `contract.bandwidth`. */
    bandwidthLimitBps: integer('bandwidth_limit_bps').notNull().default(1_000_000_000),
    /** More distinct internal hosts (30 days) than this raises `contract.endpoints`. */
    endpointLimit: integer('endpoint_limit').notNull().default(1000),
    /** A heartbeat dropping more than this fraction of packets raises `device.drops`. */
    dropRateLimit: real('drop_rate_limit').notNull().default(0.05),
    /** How long traffic must stay above the bandwidth limit (seconds). */
    bandwidthSustainedS: integer('bandwidth_sustained_s').notNull().default(300),
    /** A sensor is offline after this many heartbeats did not come. */
    offlineMissedHeartbeats: integer('offline_missed_heartbeats').notNull().default(3),
  },
  (t) => [index('tenants_partner').on(t.partnerId)],
)

/**
 * Portal users. Customer roles carry `tenant_id`, `partner_admin` carries `partner_id`, the
 * provider's analysts carry neither (a CHECK constraint in SQL enforces this).
 */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).notNull(),
    tenantId: text('tenant_id').references(() => tenants.id),
    partnerId: text('partner_id').references(() => partners.id),
    locale: text('locale', { enum: locales }).notNull(),
    createdAt: integer('created_at').notNull(),
    disabledAt: integer('disabled_at'),
  },
  (t) => [uniqueIndex('users_email').on(t.email)],
)

/** Browser sessions. Only the SHA-256 of the cookie value is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    csrfToken: text('csrf_token').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expiry').on(t.expiresAt)],
)

/** API tokens act with the rights of their user. Only the SHA-256 of the secret is stored. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
    expiresAt: integer('expires_at'),
    revokedAt: integer('revoked_at'),
  },
  (t) => [index('api_tokens_user').on(t.userId)],
)

/**
 * Sensors. `token_hash` is the SHA-256 of the credential's secret part; `signing_key_sealed` is
 * the HMAC signing key derived from the same secret, encrypted under the Worker's SEALING_KEY.
 */
export const sensors = sqliteTable(
  'sensors',
  {
    id: text('id').primaryKey(),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    signingKeySealed: text('signing_key_sealed'),
    /** Set after the first validly signed batch; unsigned batches are refused from then on. */
    requireSignature: integer('require_signature', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: sensorStatuses }).notNull(),
    lastSeenAt: integer('last_seen_at'),
    health: text('health', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull(),
    disabledAt: integer('disabled_at'),
  },
  (t) => [index('sensors_tenant').on(t.tenantId), index('sensors_status').on(t.status)],
)

export type Bilingual = { en: string; ja: string }
export type BilingualList = { en: string[]; ja: string[] }
export type Endpoint = { ip: string; port?: number; internal?: boolean }

/** Alerts. `dedup_key` is unique per tenant: the same finding never makes a second row. */
export const alerts = sqliteTable(
  'alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    sensorId: text('sensor_id')
      .notNull()
      .references(() => sensors.id),
    rule: text('rule').notNull(),
    ruleVersion: integer('rule_version').notNull(),
    class: text('class').notNull(),
    severity: text('severity', { enum: severities }).notNull(),
    ts: integer('ts').notNull(),
    srcIp: text('src_ip'),
    srcPort: integer('src_port'),
    dstIp: text('dst_ip'),
    dstPort: integer('dst_port'),
    flow: text('flow'),
    dedupKey: text('dedup_key').notNull(),
    title: text('title', { mode: 'json' }).$type<Bilingual>().notNull(),
    explain: text('explain', { mode: 'json' }).$type<Bilingual>().notNull(),
    actions: text('actions', { mode: 'json' }).$type<BilingualList>().notNull(),
    attack: text('attack', { mode: 'json' }).$type<string[]>().notNull(),
    evidence: text('evidence', { mode: 'json' }).$type<unknown>().notNull(),
    status: text('status', { enum: alertStatuses }).notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('alerts_tenant_dedup').on(t.tenantId, t.dedupKey),
    index('alerts_tenant_id').on(t.tenantId, t.id),
    index('alerts_tenant_ts').on(t.tenantId, t.ts),
  ],
)

/** Who did what. Written for logins, logouts, status changes and undeliverable notifications. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    actorUserId: text('actor_user_id'),
    tenantId: text('tenant_id'),
    action: text('action').notNull(),
    target: text('target'),
    detail: text('detail', { mode: 'json' }).$type<Record<string, unknown>>(),
    ip: text('ip'),
  },
  (t) => [index('audit_log_tenant_at').on(t.tenantId, t.at)],
)

/** Failed-login counters per key (`email:…` or `ip:…`) in a fixed window. */
export const loginThrottle = sqliteTable('login_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull(),
  windowStart: integer('window_start').notNull(),
})

/** A tenant's own indicator lists, matched by its sensors only (edge/src/pack/tenant-pack.ts). */
export const tenantIntelLists = sqliteTable(
  'tenant_intel_lists',
  {
    tenantId: text('tenant_id')
      .notNull()
      .references(() => tenants.id),
    name: text('name').notNull(),
    ioc: text('ioc', { enum: ['domain', 'ip'] }).notNull(),
    entries: text('entries', { mode: 'json' }).$type<string[]>().notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.name] })],
)
