/**
 * The D1 tables of alert policy (migrations 0003, 0006): per sensor, the policy's state and the
 * rules' first_seen memory, and the policy's state for the edge's own alerts about the sensor;
 * per tenant, its site variable values. Kept beside the policy code that
 * alone reads and writes them.
 */
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

export const policyState = sqliteTable('policy_state', {
  sensorId: text('sensor_id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  /** `id@version` of the policy whose state this is. */
  policy: text('policy').notNull(),
  state: text('state').notNull(),
  firstSeen: text('first_seen'),
  updatedAt: integer('updated_at').notNull(),
})

export const tenantSiteSettings = sqliteTable('tenant_site_settings', {
  tenantId: text('tenant_id').primaryKey(),
  /** `{ "home_nets": ["10.0.0.0/8"], … }`: names of the pack's site variables, without `$`. */
  settings: text('settings').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** The policy's state for the alerts the edge raises about a sensor (device-alert-policy.ts). */
export const devicePolicyState = sqliteTable('device_policy_state', {
  sensorId: text('sensor_id').primaryKey(),
  tenantId: text('tenant_id').notNull(),
  policy: text('policy').notNull(),
  state: text('state').notNull(),
  updatedAt: integer('updated_at').notNull(),
})
