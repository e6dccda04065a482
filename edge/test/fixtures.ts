/**
 * Test data: each call makes a fresh partner with its own tenants, users, sensors and API
 * tokens (random ids), so test files never depend on each other's rows.
 */
import { env } from 'cloudflare:test'
import {
  API_TOKEN_PREFIX,
  issueCredential,
  newId,
  SENSOR_PREFIX,
} from '../src/crypto/credential.ts'
import { hashPassword } from '../src/crypto/password.ts'
import { openDatabase } from '../src/db/client.ts'
import { apiTokens, partners, type Role, sensors, tenants, users } from '../src/db/schema.ts'

export const db = () => openDatabase(env.DB)

/** Cheap hashes for fixtures; the login tests use the real iteration count. */
const FIXTURE_ITERATIONS = 1000

export async function makePartner(name = 'Partner') {
  const id = newId('ptn')
  await db().insert(partners).values({ id, name, createdAt: Date.now() })
  return { id, name }
}

export async function makeTenant(partnerId: string, name = 'Customer') {
  const id = newId('ten')
  await db().insert(tenants).values({ id, partnerId, name, createdAt: Date.now() })
  return { id, name }
}

export async function makeUser(
  role: Role,
  scope: { tenantId?: string; partnerId?: string } = {},
  options: { password?: string; iterations?: number; locale?: 'en' | 'ja' } = {},
) {
  const id = newId('usr')
  const email = `${id}@test.example`
  const password = options.password ?? 'correct horse battery staple'
  await db()
    .insert(users)
    .values({
      id,
      email,
      displayName: `User ${id}`,
      passwordHash: await hashPassword(password, options.iterations ?? FIXTURE_ITERATIONS),
      role,
      tenantId: scope.tenantId ?? null,
      partnerId: scope.partnerId ?? null,
      locale: options.locale ?? 'en',
      createdAt: Date.now(),
    })
  return { id, email, password }
}

export async function makeApiToken(userId: string) {
  const credential = await issueCredential(API_TOKEN_PREFIX, newId('tok'))
  await db().insert(apiTokens).values({
    id: credential.id,
    userId,
    name: 'test',
    tokenHash: credential.secretHash,
    createdAt: Date.now(),
  })
  return credential.token
}

export async function makeSensor(tenantId: string, name = 'sensor') {
  const credential = await issueCredential(SENSOR_PREFIX, newId('sen'))
  await db().insert(sensors).values({
    id: credential.id,
    tenantId,
    name,
    tokenHash: credential.secretHash,
    status: 'pending',
    createdAt: Date.now(),
  })
  return { id: credential.id, token: credential.token, secret: credential.secret }
}

/** A partner with one customer, its admin and viewer, a sensor and an API token. */
export async function makeCustomer(label = 'A') {
  const partner = await makePartner(`Partner ${label}`)
  const tenant = await makeTenant(partner.id, `Customer ${label}`)
  const admin = await makeUser('customer_admin', { tenantId: tenant.id })
  const viewer = await makeUser('customer_viewer', { tenantId: tenant.id })
  const sensor = await makeSensor(tenant.id, `sensor-${label}`)
  const apiToken = await makeApiToken(admin.id)
  return { partner, tenant, admin, viewer, sensor, apiToken }
}
