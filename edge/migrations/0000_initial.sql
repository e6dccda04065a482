-- Migration number: 0000 	 2026-11-27T08:50:00.000Z
-- Initial schema: partners, tenants (customers), users, sessions, API tokens, sensors, alerts,
-- audit log, login throttle. Mirrored by edge/src/db/schema.ts. Times are ms since the epoch.

CREATE TABLE partners (
  id TEXT PRIMARY KEY NOT NULL,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE tenants (
  id TEXT PRIMARY KEY NOT NULL,
  partner_id TEXT NOT NULL REFERENCES partners(id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX tenants_partner ON tenants(partner_id);

CREATE TABLE users (
  id TEXT PRIMARY KEY NOT NULL,
  email TEXT NOT NULL,
  display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('provider_analyst', 'partner_admin', 'customer_admin', 'customer_viewer')),
  tenant_id TEXT REFERENCES tenants(id),
  partner_id TEXT REFERENCES partners(id),
  locale TEXT NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'ja')),
  created_at INTEGER NOT NULL,
  disabled_at INTEGER,
  -- The role decides which scope column is set, so a user can never hold two scopes.
  CHECK (
    (role = 'provider_analyst' AND tenant_id IS NULL AND partner_id IS NULL) OR
    (role = 'partner_admin' AND tenant_id IS NULL AND partner_id IS NOT NULL) OR
    (role IN ('customer_admin', 'customer_viewer') AND tenant_id IS NOT NULL AND partner_id IS NULL)
  )
);
CREATE UNIQUE INDEX users_email ON users(email);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  expires_at INTEGER,
  revoked_at INTEGER
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE sensors (
  id TEXT PRIMARY KEY NOT NULL,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  signing_key_sealed TEXT,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'online', 'offline')),
  last_seen_at INTEGER,
  health TEXT,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);
CREATE INDEX sensors_tenant ON sensors(tenant_id);
CREATE INDEX sensors_status ON sensors(status);

CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  sensor_id TEXT NOT NULL REFERENCES sensors(id),
  rule TEXT NOT NULL,
  rule_version INTEGER NOT NULL,
  class TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  ts INTEGER NOT NULL,
  src_ip TEXT,
  src_port INTEGER,
  dst_ip TEXT,
  dst_port INTEGER,
  flow TEXT,
  dedup_key TEXT NOT NULL,
  title TEXT NOT NULL,
  explain TEXT NOT NULL,
  actions TEXT NOT NULL,
  attack TEXT NOT NULL,
  evidence TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'ack', 'closed')),
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX alerts_tenant_dedup ON alerts(tenant_id, dedup_key);
CREATE INDEX alerts_tenant_id ON alerts(tenant_id, id);
CREATE INDEX alerts_tenant_ts ON alerts(tenant_id, ts);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_user_id TEXT,
  tenant_id TEXT,
  action TEXT NOT NULL,
  target TEXT,
  detail TEXT,
  ip TEXT
);
CREATE INDEX audit_log_tenant_at ON audit_log(tenant_id, at);

CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY NOT NULL,
  failures INTEGER NOT NULL,
  window_start INTEGER NOT NULL
);
