/**
 * Demo data for a local stack: prints SQL that idempotently creates a demo partner, a demo
 * customer (tenant), three users, a sensor and an API token, and reports their credentials.
 *
 *   node edge/scripts/seed.ts [--out FILE] [--credentials FILE] [--password PW]
 *
 *   --out FILE          write the SQL to FILE instead of stdout
 *   --credentials FILE  write the credentials JSON to FILE instead of stderr
 *   --password PW       password for all demo users (default: a fresh random one per run)
 *
 * Apply with `wrangler d1 execute DB --local --file FILE`. Running it again keeps the rows and
 * replaces the passwords, the sensor credential and the API token with the fresh ones printed,
 * so the credentials JSON always matches the database. Hashing uses the Worker's own modules.
 *
 * Credentials JSON: {users: [{email, password, role, tenant?}], sensor: {id, name, token},
 * apiToken}. The API token belongs to the customer admin.
 */
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { API_TOKEN_PREFIX, issueCredential, SENSOR_PREFIX } from '../src/crypto/credential.ts'
import { randomBytes } from '../src/crypto/digest.ts'
import { toHex } from '../src/crypto/encoding.ts'
import { hashPassword } from '../src/crypto/password.ts'

const { values: flags } = parseArgs({
  options: {
    out: { type: 'string' },
    credentials: { type: 'string' },
    password: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
})
if (flags.help) {
  process.stdout.write(
    'usage: node edge/scripts/seed.ts [--out FILE] [--credentials FILE] [--password PW]\n',
  )
  process.exit(0)
}

const PARTNER = { id: 'ptn_demo', name: 'Demo Partner K.K.' }
const TENANT = { id: 'ten_demo', name: 'Demo Customer Co., Ltd.' }
const SENSOR = { id: 'sen_demo01', name: 'demo-sensor-01' }
const API_TOKEN_ID = 'tok_demo'
const USERS = [
  {
    id: 'usr_demo_admin',
    email: 'admin@demo.example',
    name: 'Demo Customer Admin',
    role: 'customer_admin',
    tenantId: TENANT.id,
    partnerId: null,
    locale: 'ja',
  },
  {
    id: 'usr_demo_partner',
    email: 'partner@demo.example',
    name: 'Demo Partner Admin',
    role: 'partner_admin',
    tenantId: null,
    partnerId: PARTNER.id,
    locale: 'ja',
  },
  {
    id: 'usr_demo_analyst',
    email: 'analyst@provider.example',
    name: 'Provider Analyst',
    role: 'provider_analyst',
    tenantId: null,
    partnerId: null,
    locale: 'en',
  },
] as const

function q(value: string | number | null): string {
  if (value === null) return 'NULL'
  if (typeof value === 'number') return String(value)
  return `'${value.replaceAll("'", "''")}'`
}

const now = Date.now()
const password = flags.password ?? toHex(randomBytes(8))
const sensorCredential = await issueCredential(SENSOR_PREFIX, SENSOR.id)
const apiCredential = await issueCredential(API_TOKEN_PREFIX, API_TOKEN_ID)

const sql: string[] = [
  '-- socbox demo seed (edge/scripts/seed.ts); safe to apply again.',
  `INSERT INTO partners (id, name, created_at) VALUES (${q(PARTNER.id)}, ${q(PARTNER.name)}, ${now})
  ON CONFLICT (id) DO UPDATE SET name = excluded.name;`,
  `INSERT INTO tenants (id, partner_id, name, created_at) VALUES (${q(TENANT.id)}, ${q(PARTNER.id)}, ${q(TENANT.name)}, ${now})
  ON CONFLICT (id) DO UPDATE SET name = excluded.name;`,
]
for (const u of USERS) {
  const hash = await hashPassword(password)
  sql.push(`INSERT INTO users (id, email, display_name, password_hash, role, tenant_id, partner_id, locale, created_at)
  VALUES (${q(u.id)}, ${q(u.email)}, ${q(u.name)}, ${q(hash)}, ${q(u.role)}, ${q(u.tenantId)}, ${q(u.partnerId)}, ${q(u.locale)}, ${now})
  ON CONFLICT (id) DO UPDATE SET password_hash = excluded.password_hash, disabled_at = NULL;`)
}
sql.push(
  // A new credential also drops the sealed signing key of the old one; the Worker seals the
  // new key the first time the sensor authenticates with it.
  `INSERT INTO sensors (id, tenant_id, name, token_hash, status, created_at)
  VALUES (${q(SENSOR.id)}, ${q(TENANT.id)}, ${q(SENSOR.name)}, ${q(sensorCredential.secretHash)}, 'pending', ${now})
  ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, signing_key_sealed = NULL, disabled_at = NULL;`,
  `INSERT INTO api_tokens (id, user_id, name, token_hash, created_at)
  VALUES (${q(API_TOKEN_ID)}, 'usr_demo_admin', 'demo', ${q(apiCredential.secretHash)}, ${now})
  ON CONFLICT (id) DO UPDATE SET token_hash = excluded.token_hash, revoked_at = NULL;`,
)

const credentials = {
  users: USERS.map((u) => ({
    email: u.email,
    password,
    role: u.role,
    ...(u.tenantId ? { tenant: TENANT.name } : {}),
  })),
  sensor: { id: SENSOR.id, name: SENSOR.name, token: sensorCredential.token },
  apiToken: apiCredential.token,
}

const sqlText = `${sql.join('\n')}\n`
if (flags.out) writeFileSync(flags.out, sqlText)
else process.stdout.write(sqlText)
const json = `${JSON.stringify(credentials, null, 2)}\n`
if (flags.credentials) writeFileSync(flags.credentials, json, { mode: 0o600 })
else process.stderr.write(json)
