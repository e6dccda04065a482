/**
 * `GET /v1/pack`: the rule pack a sensor should run, for its tenant. Its ETag is the pack's tag
 * (`"<hash>.<policyHash>"`, dsl/src/runtime/pack-tag.ts): it changes with the rules and plan and
 * also with a policy-only or site-variable-declaration edit. Sensors poll with `If-None-Match` and
 * get 304 while nothing changed; a new pack comes with its `hash` (SHA-256 of
 * JSON.stringify({rules, plan})), which the sensor checks before swapping its plan.
 * A tenant with its own indicator lists gets the bundled pack plus those lists (tenant-pack.ts);
 * the others get the bundled pack.
 */
import { packTag } from '@socbox/dsl/runtime'
import { Hono } from 'hono'
import type { AppEnv } from '../env.ts'
import { authenticateSensor } from '../ingest/sensor-auth.ts'
import { packFor } from './tenant-pack.ts'

export const packRoute = new Hono<AppEnv>()

packRoute.get('/', async (c) => {
  const sensor = await authenticateSensor(c.get('db'), c.req.header('Authorization'))
  const { pack, body } = await packFor(c.get('db'), sensor.tenantId)
  const etag = `"${packTag(pack)}"`
  c.header('ETag', etag)
  c.header('X-Socbox-Pack-Version', pack.version)
  c.header('Cache-Control', 'private, no-cache')
  const wanted = c.req.header('If-None-Match') ?? ''
  if (wanted.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    return c.body(null, 304)
  }
  return c.body(body, 200, { 'Content-Type': 'application/json' })
})
